// The ops page: signs in through the OIDC issuer (authorization code flow with PKCE, public
// client), then drives the operator API with the access token: preview, confirm, watch, list,
// and test a change event against the rules (POST /api/explain).
// The token stays in this page's memory; it is never written to storage or to the console.
'use strict';

const $ = (id) => document.getElementById(id);
const PKCE_KEY = 'tagpurge-ops-pkce';

let settings = null;
let accessToken = null;
let idToken = null;
let lastRequest = null;
let lastPreview = null;
let pollTimer = null;

// ---- sign-in -------------------------------------------------------------------------------

function base64Url(bytes) {
  let text = '';
  bytes.forEach((b) => { text += String.fromCharCode(b); });
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText(size) {
  const bytes = new Uint8Array(size);
  crypto.getRandomValues(bytes);
  return base64Url(bytes);
}

function redirectUri() {
  return window.location.origin + window.location.pathname;
}

async function signIn() {
  const verifier = randomText(48);
  const state = randomText(16);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state }));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: redirectUri(),
    scope: 'openid',
    state,
    code_challenge: base64Url(new Uint8Array(digest)),
    code_challenge_method: 'S256',
  });
  window.location.assign(settings.authorizationEndpoint + '?' + query);
}

async function finishSignIn(params) {
  const saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) || 'null');
  sessionStorage.removeItem(PKCE_KEY);
  history.replaceState(null, '', redirectUri());
  if (params.get('error')) {
    showProblem({ title: 'Sign-in failed', detail: params.get('error_description') || params.get('error') });
    return;
  }
  if (!saved || saved.state !== params.get('state')) {
    showProblem({ title: 'Sign-in failed', detail: 'The answer from the identity provider does not match this page\'s request; sign in again.' });
    return;
  }
  const answer = await fetch(settings.tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code'),
      redirect_uri: redirectUri(),
      client_id: settings.clientId,
      code_verifier: saved.verifier,
    }),
  });
  if (!answer.ok) {
    showProblem({ title: 'Sign-in failed', detail: 'The identity provider refused the code (' + answer.status + ').' });
    return;
  }
  const tokens = await answer.json();
  accessToken = tokens.access_token;
  idToken = tokens.id_token || null;
  showSignedIn();
}

function tokenClaims() {
  const payload = accessToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

function showSignedIn() {
  const claims = tokenClaims();
  const roles = ((claims.realm_access || {}).roles || []).filter((r) => r.startsWith('purge-'));
  $('who').textContent = 'Signed in as ' + (claims.preferred_username || claims.sub)
      + (roles.length ? ' (' + roles.join(', ') + ')' : ' (no purge role)');
  $('sign-in').hidden = true;
  $('sign-out').hidden = settings.endSessionEndpoint == null;
  loadRecent();
}

// Ends the issuer's session too; the ID token tells the issuer who leaves, so it asks nothing.
function signOut() {
  const query = new URLSearchParams({ client_id: settings.clientId, post_logout_redirect_uri: redirectUri() });
  if (idToken) {
    query.set('id_token_hint', idToken);
  }
  accessToken = null;
  idToken = null;
  window.location.assign(settings.endSessionEndpoint + '?' + query);
}

// ---- API -----------------------------------------------------------------------------------

async function api(method, path, body) {
  if (!accessToken) {
    throw { title: 'Not signed in', detail: 'Sign in first.' };
  }
  const answer = await fetch(path, {
    method,
    headers: Object.assign({ Authorization: 'Bearer ' + accessToken },
        body ? { 'Content-Type': 'application/json' } : {}),
    body: body ? (typeof body === 'string' ? body : JSON.stringify(body)) : undefined,
  });
  const type = answer.headers.get('Content-Type') || '';
  const document = type.includes('json') ? await answer.json() : null;
  if (!answer.ok) {
    if (answer.status === 401) {
      accessToken = null;
      $('sign-in').hidden = false;
      $('who').textContent = 'Your session has ended: sign in again.';
    }
    throw document || { title: 'Request failed', status: answer.status };
  }
  return { status: answer.status, location: answer.headers.get('Location'), body: document };
}

// ---- form, preview, purge ------------------------------------------------------------------

function checked(name) {
  return document.querySelector('input[name="' + name + '"]:checked').value;
}

function request() {
  const kind = checked('kind');
  const body = { mode: checked('mode'), ticket: $('ticket').value.trim(), reason: $('reason').value.trim() };
  if (kind === 'everything') {
    body.everything = true;
  } else {
    body[kind] = $('values').value.split('\n').map((v) => v.trim()).filter((v) => v.length > 0);
  }
  const targets = $('targets').value.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
  if (targets.length > 0) {
    body.targets = targets;
  } else {
    body.scope = checked('scope');
  }
  return body;
}

function clearErrors() {
  $('problem').hidden = true;
  document.querySelectorAll('.error').forEach((p) => { p.textContent = ''; });
  document.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
}

function showProblem(problem) {
  const box = $('problem');
  box.replaceChildren();
  const title = document.createElement('strong');
  title.textContent = problem.title || 'Error';
  box.append(title);
  if (problem.detail) {
    box.append(document.createTextNode(': ' + problem.detail));
  }
  const unplaced = [];
  (problem.errors || []).forEach((error) => {
    const field = { tags: 'values', urls: 'values', prefixes: 'values', everything: 'values' }[error.field] || error.field;
    const slot = $(field + '-error');
    if (slot) {
      slot.textContent = error.message;
      $(field).setAttribute('aria-invalid', 'true');
    } else {
      unplaced.push(error.field + ': ' + error.message);
    }
  });
  if (unplaced.length > 0) {
    const list = document.createElement('ul');
    unplaced.forEach((text) => { const item = document.createElement('li'); item.textContent = text; list.append(item); });
    box.append(list);
  }
  box.hidden = false;
  box.focus();
}

function cell(row, text) {
  const td = document.createElement('td');
  td.textContent = text == null ? '' : String(text);
  row.append(td);
}

function describeRedis(keys) {
  if (!keys) return '';
  if (keys.keys == null) return 'unknown (' + keys.method + ')';
  return (keys.exact ? '' : '≈ ') + keys.keys + ' (' + keys.method + ')';
}

function describeCost(cost) {
  if (!cost) return '';
  const month = cost.pathsBilledThisMonth == null
      ? 'billed this month: not counted'
      : 'billed this month: ' + cost.pathsBilledThisMonth + ', so $' + cost.estimatedCostUsd.toFixed(3);
  return cost.paths + ' paths; $' + cost.estimatedCostUsdIfFreeTierUnused.toFixed(3) + ' to $'
      + cost.estimatedCostUsdIfFreeTierSpent.toFixed(3) + ' (' + month + ')';
}

function describeQueue(view) {
  if (!view) return '';
  return view.pendingSelectors + ' selectors waiting (' + view.aheadSelectors + ' of operator purges, sent first), '
      + view.inFlightRequests + ' requests out';
}

function number(n) {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function describeBudget(view) {
  const budget = view && view.budget;
  if (!budget) return 'unknown: the rate limiter did not answer';
  if (budget.unlimited) return 'no rate limit';
  return budget.buckets.map((b) => b.bucket + ': ' + number(b.tokensAvailable) + ' of ' + b.capacity
      + ' tokens left, +' + number(b.refillPerSecond) + '/s; this purge needs ' + b.tokensThisPurgeNeeds).join('; ')
      + ' (' + budget.source + ')';
}

function describeWait(view) {
  const wait = view && view.expectedWait;
  if (!wait) return 'unknown';
  if (wait.lastRequestSeconds === 0) return 'none: tokens suffice now';
  return '≈ ' + number(wait.firstRequestSeconds) + ' s before the first request, ≈ '
      + number(wait.lastRequestSeconds) + ' s before the last';
}

async function preview(event) {
  event.preventDefault();
  clearErrors();
  lastRequest = request();
  try {
    const answer = await api('POST', '/api/purges', Object.assign({ dryRun: true }, lastRequest));
    lastPreview = answer.body;
    renderPreview(lastPreview);
  } catch (problem) {
    showProblem(problem);
  }
}

function renderPreview(p) {
  $('preview-summary').textContent = p.items + ' ' + p.selectorKind + ', ' + p.mode + ' purge on '
      + p.targets.join(', ') + '.';
  const rows = $('preview-rows');
  rows.replaceChildren();
  (p.perTarget || []).forEach((t) => {
    const row = document.createElement('tr');
    const name = document.createElement('th');
    name.scope = 'row';
    name.textContent = t.target;
    row.append(name);
    cell(row, t.provider);
    cell(row, t.selectors + (t.notRouted ? ' (' + t.notRouted + ' not routed here)' : '')
        + (t.rejected && t.rejected.length ? '; refused: ' + t.rejected.join('; ') : ''));
    cell(row, t.requests + (t.perRequest ? ' (up to ' + t.perRequest + ' each)' : ''));
    cell(row, describeRedis(t.redisKeys));
    cell(row, describeCost(t.cloudFront));
    cell(row, describeQueue(t.rateLimit));
    cell(row, describeBudget(t.rateLimit));
    cell(row, describeWait(t.rateLimit));
    rows.append(row);
  });
  const items = $('checklist-items');
  items.replaceChildren();
  (p.impact || []).forEach((text, i) => {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.id = 'impact-' + i;
    box.addEventListener('change', updatePurgeButton);
    label.append(box, document.createTextNode(' ' + text));
    items.append(label);
  });
  $('checklist').hidden = !(p.impact && p.impact.length);
  $('confirm-field').hidden = !p.confirm;
  $('confirm-expected').textContent = p.confirm || '';
  $('confirm').value = '';
  $('refusal').hidden = p.allowed;
  $('refusal').textContent = p.allowed ? '' : 'Refused: ' + ((p.refusal && (p.refusal.detail || p.refusal.title)) || 'not allowed');
  $('preview').hidden = false;
  $('status').hidden = true;
  updatePurgeButton();
  $('preview-title').focus();
}

function updatePurgeButton() {
  const p = lastPreview;
  const boxes = Array.from(document.querySelectorAll('#checklist-items input'));
  const confirmed = !p.confirm || $('confirm').value.trim() === p.confirm;
  $('purge-button').disabled = !(p.allowed && confirmed && boxes.every((b) => b.checked));
}

async function purge() {
  clearErrors();
  const body = Object.assign({}, lastRequest);
  if (lastPreview.confirm) {
    body.confirm = $('confirm').value.trim();
  }
  try {
    const answer = await api('POST', '/api/purges', body);
    $('purge-button').disabled = true;
    $('preview').hidden = true;
    watch(answer.location || ('/api/purges/' + answer.body.id));
  } catch (problem) {
    showProblem(problem);
  }
}

// Akamai answers how long the purge takes to reach its whole network once accepted.
function propagation(outcome) {
  if (outcome.estimatedSeconds == null || outcome.status !== 'succeeded') return null;
  return 'accepted by ' + outcome.provider + ', ≈ ' + outcome.estimatedSeconds + ' s to propagate';
}

function statusText(outcome) {
  if (outcome.invalidationStatus) {
    return outcome.invalidationStatus === 'Completed' ? 'Completed' : 'In progress';
  }
  return { accepted: 'In progress', succeeded: 'Completed', failed: 'Failed', rejected: 'Refused', skipped: 'Skipped' }[outcome.status] || outcome.status;
}

function watch(location) {
  $('status').hidden = false;
  $('status-title').focus();
  clearInterval(pollTimer);
  const poll = async () => {
    try {
      const record = (await api('GET', location)).body;
      renderStatus(record);
      if (record.status !== 'accepted') {
        clearInterval(pollTimer);
        loadRecent();
      }
    } catch (problem) {
      clearInterval(pollTimer);
      showProblem(problem);
    }
  };
  poll();
  pollTimer = setInterval(poll, 1000);
}

function renderStatus(record) {
  const overall = { accepted: 'In progress', succeeded: 'Completed', partial: 'Partly failed', failed: 'Failed', interrupted: 'Interrupted' }[record.status] || record.status;
  $('status-summary').textContent = 'Purge ' + record.id + ' (' + record.ticket + '): ' + overall + '.';
  const rows = $('status-rows');
  rows.replaceChildren();
  (record.targetOutcomes || []).forEach((o) => {
    const row = document.createElement('tr');
    row.dataset.target = o.target;
    const name = document.createElement('th');
    name.scope = 'row';
    name.textContent = o.target;
    row.append(name);
    cell(row, o.provider);
    cell(row, statusText(o));
    cell(row, (o.purgeIds || []).join(', '));
    cell(row, [o.error, propagation(o), o.attempts > 1 ? o.attempts + ' attempts' : null]
        .filter((text) => text).join('; '));
    rows.append(row);
  });
}

async function loadRecent() {
  try {
    const list = (await api('GET', '/api/purges?limit=20')).body;
    const rows = $('recent-rows');
    rows.replaceChildren();
    (list.purges || list || []).forEach((r) => {
      const row = document.createElement('tr');
      cell(row, new Date(r.createdAt).toLocaleString());
      cell(row, r.actor);
      cell(row, r.ticket);
      cell(row, r.items + ' ' + r.selectorKind + (r.values && r.values.length ? ': ' + r.values.slice(0, 3).join(', ') : ''));
      cell(row, (r.targets || []).join(', '));
      cell(row, r.status);
      rows.append(row);
    });
  } catch (problem) {
    showProblem(problem);
  }
}

// ---- test a rule ---------------------------------------------------------------------------

const OUTCOMES = {
  purges: 'would purge',
  rejected: 'receives selectors but can take none',
  'not-routed': 'receives nothing',
  'not-addressed': 'not addressed by the event',
};

function item(list, text, className) {
  const li = document.createElement('li');
  li.textContent = text;
  if (className) {
    li.className = className;
  }
  list.append(li);
  return li;
}

function sublist(parent, title, entries) {
  if (!entries || entries.length === 0) {
    return;
  }
  const li = item(parent, title);
  const list = document.createElement('ul');
  entries.forEach((text) => item(list, text));
  li.append(list);
}

function heading(box, text) {
  const h = document.createElement('h3');
  h.textContent = text;
  box.append(h);
}

function renderExplanation(e) {
  const box = $('explain-result');
  box.replaceChildren();
  const summary = document.createElement('p');
  summary.id = 'explain-summary';
  const purging = e.targets.filter((t) => t.outcome === 'purges').map((t) => t.target);
  summary.textContent = 'Event ' + e.eventId + ' (' + e.eventType + ', mode ' + e.mode + '): '
      + (e.unmatched ? 'no target would receive anything (unmatched).'
        : 'would purge on ' + (purging.length > 0 ? purging.join(', ') : 'no target') + '.');
  box.append(summary);

  heading(box, 'Rules');
  const rules = document.createElement('ul');
  rules.id = 'explain-rules';
  if (e.rules.length === 0) {
    item(rules, 'No rule is configured; only the event\'s own selectors count.');
  }
  e.rules.forEach((r) => {
    const name = 'Rule ' + r.index + ' (type ' + r.type + (r.source ? ', source ' + r.source : '') + ')';
    if (!r.matched) {
      item(rules, name + ': skipped, ' + r.skipped, 'skipped');
      return;
    }
    const li = item(rules, name + ': matched');
    const rendered = document.createElement('ul');
    r.rendered.forEach((t) => item(rendered, t.kind + ' ' + t.template + ' → '
        + (t.values.length > 0 ? t.values.join(', ') : '(nothing: empty array)')));
    li.append(rendered);
  });
  box.append(rules);

  heading(box, 'Targets');
  const targets = document.createElement('ul');
  targets.id = 'explain-targets';
  e.targets.forEach((t) => {
    const li = item(targets, '');
    li.dataset.target = t.target;
    const name = document.createElement('strong');
    name.textContent = t.target;
    const outcome = document.createElement('span');
    outcome.className = 'outcome';
    outcome.textContent = OUTCOMES[t.outcome] || t.outcome;
    li.append(name, ' (' + t.provider + '): ', outcome, t.skipped ? ', ' + t.skipped : '');
    const details = document.createElement('ul');
    sublist(details, 'Sends', (t.selectors || []).map((s) => s.kind + ' ' + s.sentAs
        + (s.sentAs !== s.value ? ' (from ' + s.value + ')' : '')));
    sublist(details, 'Not routed here', (t.notRouted || []).map((s) => s.kind + ' ' + s.value + ': ' + s.reason));
    sublist(details, 'Rejected by the provider', (t.rejected || []).map((s) => s.kind + ' ' + s.value + ': ' + s.reason));
    if (details.children.length > 0) {
      li.append(details);
    }
  });
  box.append(targets);
}

function renderInvalidEvent(problem) {
  const box = $('explain-result');
  box.replaceChildren();
  const summary = document.createElement('p');
  summary.id = 'explain-summary';
  summary.setAttribute('role', 'alert');
  summary.textContent = 'Invalid event: the consumer would dead-letter it with reason ' + problem.reason + '.';
  box.append(summary);
  const list = document.createElement('ul');
  (problem.errors || []).forEach((error) => item(list, error.field + ': ' + error.message));
  box.append(list);
}

async function explainEvent(event) {
  event.preventDefault();
  clearErrors();
  const text = $('explain-event').value.trim();
  if (text.length === 0) {
    $('explain-event-error').textContent = 'Paste a change event first.';
    $('explain-event').setAttribute('aria-invalid', 'true');
    $('explain-event').focus();
    return;
  }
  try {
    const answer = await api('POST', '/api/explain', text);
    renderExplanation(answer.body);
  } catch (problem) {
    if (problem && problem.reason) {
      renderInvalidEvent(problem);
    } else {
      showProblem(problem);
      return;
    }
  }
  $('explain-result').hidden = false;
  $('explain-result').focus();
}

// ---- start ---------------------------------------------------------------------------------

function toggleValues() {
  $('values-field').hidden = checked('kind') === 'everything';
}

async function start() {
  $('problem').tabIndex = -1;
  $('sign-in').addEventListener('click', signIn);
  $('sign-out').addEventListener('click', signOut);
  $('purge-form').addEventListener('submit', preview);
  $('purge-button').addEventListener('click', purge);
  $('edit-button').addEventListener('click', () => { $('preview').hidden = true; $('ticket').focus(); });
  $('confirm').addEventListener('input', updatePurgeButton);
  $('refresh-recent').addEventListener('click', loadRecent);
  $('explain-form').addEventListener('submit', explainEvent);
  document.querySelectorAll('input[name="kind"]').forEach((r) => r.addEventListener('change', toggleValues));
  settings = await (await fetch('/api/ops/settings')).json();
  const params = new URLSearchParams(window.location.search);
  if (params.has('code') || params.has('error')) {
    await finishSignIn(params);
  }
}

start().catch(() => showProblem({ title: 'The page could not start', detail: 'The service did not answer its settings.' }));
