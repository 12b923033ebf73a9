-- Drives Neovim's own LSP client (0.7 API, as Debian ships it) against the Port Lens server over stdio, on one
-- script, and writes what a user would see as JSON for test/editors/neovim.test.ts to judge.
local env = vim.env
local result = { steps = {} }

local function finish()
  vim.fn.writefile({ vim.fn.json_encode(result) }, env.PORTLENS_NVIM_OUT)
  vim.cmd('qa!')
end

local function lsp_code(diagnostic)
  local lsp = diagnostic.user_data and diagnostic.user_data.lsp
  return diagnostic.code or (lsp and lsp.code)
end

local function shown()
  local list = {}
  for _, diagnostic in ipairs(vim.diagnostic.get(0)) do
    table.insert(list, { line = diagnostic.lnum, col = diagnostic.col, code = lsp_code(diagnostic), message = diagnostic.message })
  end
  return list
end

local function has_code(code)
  for _, diagnostic in ipairs(vim.diagnostic.get(0)) do
    if lsp_code(diagnostic) == code then return true end
  end
  return false
end

local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(env.PORTLENS_FILE))
  local client_id = vim.lsp.start_client({
    name = 'portlens',
    cmd = { env.PORTLENS_NODE, env.PORTLENS_SERVER, '--stdio' },
    root_dir = vim.fn.fnamemodify(env.PORTLENS_FILE, ':h'),
    -- Neovim 0.7 neither answers workspace/configuration nor sends its settings unasked: they go as init_options.
    init_options = { portLens = { rules = { ['cleartext-protocol'] = 'off' } } },
  })
  vim.lsp.buf_attach_client(0, client_id)
  local client = vim.lsp.get_client_by_id(client_id)
  local uri = vim.uri_from_bufnr(0)
  local line = tonumber(env.PORTLENS_LINE)

  result.pushed = vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50)
  result.diagnostics = shown()

  -- A file of the folder that is never opened: its findings come from the server's workspace scan, pushed.
  local unopened = vim.uri_to_bufnr(vim.uri_from_fname(env.PORTLENS_UNOPENED))
  vim.wait(20000, function() return #vim.diagnostic.get(unopened) > 0 end, 50)
  result.unopened = {}
  for _, diagnostic in ipairs(vim.diagnostic.get(unopened)) do
    table.insert(result.unopened, { line = diagnostic.lnum, code = lsp_code(diagnostic) })
  end

  local hovers = vim.lsp.buf_request_sync(0, 'textDocument/hover',
    { textDocument = { uri = uri }, position = { line = line, character = tonumber(env.PORTLENS_COLUMN) } }, 10000)
  local hover = hovers and hovers[client_id] and hovers[client_id].result
  result.hover = hover and hover.contents and (hover.contents.value or hover.contents) or vim.NIL

  -- The diagnostics of the line in LSP's shape, as vim.lsp.buf.code_action() sends them in its context.
  local target
  for _, diagnostic in ipairs(vim.lsp.diagnostic.get_line_diagnostics(0, line)) do
    if diagnostic.code == 'exposed-critical-port' then target = diagnostic end
  end
  result.titles = {}
  if target then
    local answers = vim.lsp.buf_request_sync(0, 'textDocument/codeAction',
      { textDocument = { uri = uri }, range = target.range, context = { diagnostics = { target } } }, 10000)
    result.codeActionError = answers and answers[client_id] and answers[client_id].err or vim.NIL
    for _, action in ipairs((answers and answers[client_id] and answers[client_id].result) or {}) do
      table.insert(result.titles, action.title)
      if action.title:find('^Restrict the source') and action.edit then
        vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
      end
    end
  end
  result.text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')

  client.config.settings = { portLens = { rules = { ['exposed-critical-port'] = 'off' } } }
  client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
  local applied = vim.wait(20000, function()
    return #vim.diagnostic.get(0) > 0 and not has_code('exposed-critical-port')
  end, 50)
  result.ruleOffApplied = applied
  result.afterRuleOff = shown()
end

local ok, problem = pcall(run)
if not ok then result.error = tostring(problem) end
finish()
