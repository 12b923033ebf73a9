#!/usr/bin/env bash
# Starts the local development stack.
set -e

docker run -d --name cache -p 6379:6379 redis:7.2
docker run -d --name db -p 127.0.0.1:5432:5432 -e POSTGRES_PASSWORD=dev postgres:16
docker run -d --name search -p 9200:9200 -e discovery.type=single-node elasticsearch:8.15.0
docker run -d --name web -p 8080:80 -v "$PWD/site:/usr/share/nginx/html:ro" nginx:1.27

# Serve the docs folder to the team.
python3 -m http.server 8000 --directory docs &

# Reach the staging database through the cluster.
kubectl -n staging port-forward svc/postgres 15432:5432 &
kubectl -n staging port-forward deploy/grafana 3000:3000 --address 0.0.0.0 &

# Relay the Docker API for the CI runner.
socat TCP-LISTEN:2375,fork,reuseaddr UNIX-CONNECT:/var/run/docker.sock &

wait
