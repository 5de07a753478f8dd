"""`GET /sandbox/`: one small page showing every simulated handset's inbox, with a form to reply as a handset.

Plain HTML and a little vanilla JavaScript (no CDN). The page polls the control API once a second. Element ids and
`data-testid`s are stable for browser tests: `handset-list`, `handset-<number>`, `conversation`,
`message-<sid>` (with `data-status`), `reply-form`, `reply-from`, `reply-to`, `reply-body`, `reply-send`.
Without JavaScript the form still posts to `/sandbox/inbound` and comes back here.
"""

from __future__ import annotations

from aiohttp import web

from sandbox.config import SandboxConfig
from sandbox.numbers import TEST_NUMBER_ERRORS
from sandbox.web_common import SANDBOX_KEY

_STYLE = """
body{font:14px system-ui,sans-serif;margin:0;color:#1d2733;background:#f4f6f8}
header{background:#233044;color:#fff;padding:10px 16px;display:flex;gap:16px;align-items:baseline}
header h1{font-size:17px;margin:0}
main{display:grid;grid-template-columns:260px 1fr;gap:16px;padding:16px}
section{background:#fff;border-radius:6px;padding:12px;box-shadow:0 1px 2px #0002}
ul{list-style:none;margin:0;padding:0}
#handset-list li{padding:6px 8px;border-radius:4px;cursor:pointer}
#handset-list li.selected{background:#dbe8ff}
.bubble{max-width:70%;margin:6px 0;padding:8px 10px;border-radius:10px;white-space:pre-wrap}
.in{background:#e9edf1}.out{background:#cfe9d6;margin-left:auto}
.meta{font-size:11px;color:#5b6675;margin-top:3px}
.status-undelivered,.status-failed{color:#b3261e;font-weight:600}
form{display:grid;grid-template-columns:1fr 1fr;gap:8px;margin-top:12px}
form textarea{grid-column:1/3;min-height:50px}
button{grid-column:1/3;padding:8px;background:#233044;color:#fff;border:0;border-radius:4px}
table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccd;padding:2px 6px;text-align:left}
"""

_SCRIPT = """
const state = {handset: new URLSearchParams(location.search).get('handset') || '', senders: []};
const el = (tag, attrs = {}, text = '') => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
};
async function getJson(path) { const r = await fetch(path); return r.json(); }
function bubble(m, incoming) {
  const div = el('div', {class: 'bubble ' + (incoming ? 'out' : 'in'), 'data-testid': 'message-' + m.sid,
                         'data-status': m.status, id: 'message-' + m.sid}, m.body);
  const who = incoming ? 'you → ' + m.to : m.from;
  div.appendChild(el('div', {class: 'meta status-' + m.status}, who + ' · ' + m.status +
                  (m.error_code ? ' (' + m.error_code + ')' : '')));
  return div;
}
function renderConversation(h) {
  const box = document.getElementById('conversation');
  box.replaceChildren();
  if (!h) { box.appendChild(el('p', {}, 'Pick a handset, or send as a new one below.')); return; }
  box.appendChild(el('h2', {'data-testid': 'conversation-number'}, h.number));
  const entries = [];
  const inboxSids = new Set(h.inbox.map(m => m.sid));
  h.inbox.forEach(m => entries.push([m.delivered_at || m.created_at, m, false]));
  h.sent.forEach(m => entries.push([m.created_at, m, true]));
  entries.sort((a, b) => a[0] - b[0]).forEach(([, m, mine]) => box.appendChild(bubble(m, mine)));
  const pending = h.addressed.filter(m => !inboxSids.has(m.sid));
  if (pending.length) {
    box.appendChild(el('h3', {}, 'Not (yet) received'));
    pending.forEach(m => box.appendChild(bubble(m, false)));
  }
}
function renderHandsets(handsets) {
  const list = document.getElementById('handset-list');
  list.replaceChildren();
  handsets.forEach(h => {
    const li = el('li', {'data-testid': 'handset-' + h.number, id: 'handset-' + h.number},
                  h.number + ' (' + h.inbox.length + ')');
    if (h.number === state.handset) li.classList.add('selected');
    li.onclick = () => { state.handset = h.number; document.getElementById('reply-from').value = h.number; refresh(); };
    list.appendChild(li);
  });
  renderConversation(handsets.find(h => h.number === state.handset));
}
function renderSenders(senders) {
  const select = document.getElementById('reply-to');
  const signature = senders.map(s => s.address + s.kind).join(',');
  if (select.dataset.signature === signature) return;  // rebuilding would close an open dropdown
  select.dataset.signature = signature;
  const chosen = select.value;
  select.replaceChildren();
  senders.forEach(s => select.appendChild(el('option', {value: s.address}, s.address + ' · ' + s.kind)));
  if (chosen) select.value = chosen;
}
async function refresh() {
  const [handsets, senders] = await Promise.all([getJson('/sandbox/api/handsets'), getJson('/sandbox/api/senders')]);
  renderHandsets(handsets.handsets);
  renderSenders(senders.senders);
}
document.getElementById('reply-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  const body = {From: form.From.value.trim(), To: form.To.value, Body: form.Body.value};
  const r = await fetch('/sandbox/inbound', {method: 'POST', headers: {'Content-Type': 'application/json',
                        'Accept': 'application/json'}, body: JSON.stringify(body)});
  const result = await r.json();
  document.getElementById('reply-result').textContent = r.ok ? 'sent ' + result.sid : result.error;
  if (r.ok) { state.handset = body.From; form.Body.value = ''; }
  refresh();
});
document.getElementById('reply-from').value = state.handset;
refresh();
setInterval(refresh, 1000);
"""


def _numbers_table(config: SandboxConfig) -> str:
    rows = [f"<tr><td>{number}</td><td>API error {code}</td></tr>" for number, code in TEST_NUMBER_ERRORS.items()]
    rows += [
        f"<tr><td>{prefix}…</td><td>undelivered {code}</td></tr>" for prefix, code in config.undelivered_ranges.items()
    ]
    rows += [f"<tr><td>{prefix}…</td><td>Lookup {kind}</td></tr>" for prefix, kind in config.line_type_ranges.items()]
    return "<table id='test-numbers'><tr><th>To</th><th>Outcome</th></tr>" + "".join(rows) + "</table>"


def render_page(config: SandboxConfig, account_sid: str) -> str:
    """The whole page as one HTML document."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Twilio sandbox</title><style>{_STYLE}</style></head>
<body>
<header><h1>Local Twilio sandbox</h1><span data-testid="main-account">main account {account_sid}</span></header>
<main>
<section><h2>Handsets</h2><ul id="handset-list" data-testid="handset-list"></ul>
<details><summary>Test numbers</summary>{_numbers_table(config)}</details></section>
<section><div id="conversation" data-testid="conversation"></div>
<form id="reply-form" data-testid="reply-form" method="post" action="/sandbox/inbound">
<input id="reply-from" data-testid="reply-from" name="From" placeholder="Handset, e.g. +15551230001" required>
<select id="reply-to" data-testid="reply-to" name="To" required></select>
<textarea id="reply-body" data-testid="reply-body" name="Body" placeholder="Message (STOP, START, HELP…)"></textarea>
<button id="reply-send" data-testid="reply-send" type="submit">Send as handset</button>
</form><p id="reply-result" data-testid="reply-result"></p></section>
</main>
<script>{_SCRIPT}</script>
</body></html>"""


async def page(request: web.Request) -> web.Response:
    """The handset page."""
    sandbox = request.app[SANDBOX_KEY]
    return web.Response(text=render_page(sandbox.config, sandbox.store.main.sid), content_type="text/html")


def add_routes(app: web.Application) -> None:
    """Register the page (and send `/` and `/sandbox` to it)."""
    app.router.add_get("/sandbox/", page)
    app.router.add_get("/sandbox", _to_page)
    app.router.add_get("/", _to_page)


async def _to_page(request: web.Request) -> web.Response:
    raise web.HTTPFound("/sandbox/")
