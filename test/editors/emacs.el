;;; emacs.el --- drives Emacs's eglot against the Port Lens server  -*- lexical-binding: t -*-
;;
;; Run by test/editors/emacs.test.ts as `emacs --batch -Q -l emacs.el': opens one script, lets eglot (Debian's
;; elpa-eglot) start the bundled server over stdio, and writes what a user would see as JSON for the test to judge.
;; eglot takes only pushed diagnostics and hands them to flymake; settings go as initializationOptions.

;; Debian's elpa-eglot lies among the system's packages, which -Q leaves out: they are named and activated here.
(require 'package)
(setq package-directory-list '("/usr/share/emacs/site-lisp/elpa"))
(package-initialize)
(require 'eglot)
(require 'json)

(defvar portlens-result (list))
(defun portlens-env (name) (or (getenv name) (error "%s is not set" name)))

(defun portlens-finish (code)
  (with-temp-file (portlens-env "PORTLENS_EMACS_OUT")
    (insert (json-encode portlens-result)))
  (kill-emacs code))

(defun portlens-wait (predicate seconds)
  "Runs the event loop until PREDICATE holds or SECONDS pass; whether it held."
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (funcall predicate)))

(defun portlens-diagnostics ()
  "The flymake diagnostics of the buffer as line (from 0), column and text."
  (mapcar (lambda (diagnostic)
            (let ((start (flymake-diagnostic-beg diagnostic)))
              (list (cons 'line (1- (line-number-at-pos start)))
                    (cons 'col (save-excursion (goto-char start) (current-column)))
                    (cons 'message (flymake-diagnostic-text diagnostic)))))
          (flymake-diagnostics)))

(condition-case failure
    (let* ((file (portlens-env "PORTLENS_FILE"))
           (folder (file-name-directory file))
           (line (string-to-number (portlens-env "PORTLENS_LINE")))
           (column (string-to-number (portlens-env "PORTLENS_COLUMN"))))
      ;; The folder is its own project, so that eglot asks nothing.
      (add-hook 'project-find-functions (lambda (_dir) (cons 'transient folder)))
      (setq eglot-server-programs
            `((sh-mode . (,(portlens-env "PORTLENS_NODE") ,(portlens-env "PORTLENS_SERVER") "--stdio"
                          :initializationOptions
                          (:portLens (:rules (:cleartext-protocol "off")))))))
      (setq eglot-sync-connect 20)
      (find-file file)
      (sh-mode)
      ;; `eglot-ensure' waits for a command to finish, which never comes in batch mode: connect as `M-x eglot'.
      (apply #'eglot (eglot--guess-contact))
      (portlens-wait (lambda () (eglot-current-server)) 20)
      (let ((server (eglot-current-server)))
        (unless server (error "eglot did not connect"))
        (push (cons 'pushed (and (portlens-wait (lambda () (flymake-diagnostics)) 20) t)) portlens-result)
        (push (cons 'diagnostics (vconcat (portlens-diagnostics))) portlens-result)
        (let* ((position (list :line line :character column))
               (document (list :uri (eglot--path-to-uri file)))
               (hover (jsonrpc-request server :textDocument/hover
                                       (list :textDocument document :position position)))
               (contents (plist-get hover :contents)))
          (push (cons 'hover (if (stringp contents) contents (plist-get contents :value))) portlens-result)
          ;; The line's diagnostics go in the context, as `eglot-code-actions' sends them.
          (let* ((range (list :start (list :line line :character 0) :end (list :line (1+ line) :character 0)))
                 (on-line (seq-filter (lambda (diagnostic)
                                        (= line (1- (line-number-at-pos (flymake-diagnostic-beg diagnostic)))))
                                      (flymake-diagnostics)))
                 (lsp-diagnostics (mapcar (lambda (diagnostic)
                                            (alist-get 'eglot-lsp-diag (flymake-diagnostic-data diagnostic)))
                                          on-line))
                 (actions (jsonrpc-request server :textDocument/codeAction
                                           (list :textDocument document :range range
                                                 :context (list :diagnostics (vconcat lsp-diagnostics))))))
            (push (cons 'titles (vconcat (mapcar (lambda (action) (plist-get action :title)) actions)))
                  portlens-result))))
      (portlens-finish 0))
  (error
   (push (cons 'error (error-message-string failure)) portlens-result)
   (portlens-finish 1)))
