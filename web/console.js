// The live console: how a dashboard uses this API, in plain browser JavaScript (no build step).
//  - Sign in with the `login` mutation; the token is kept in localStorage (shared with /ide).
//  - Inbox counts: the `inboxCountsChanged` subscription sends them at once, then after every change.
//  - Routing events: the `routingEvents` subscription; the last event's `cursor` is kept in localStorage,
//    and after a reload the subscription starts `after` it, so nothing is missed and nothing repeats; on a
//    first visit it starts after the position read with the page's first query (`routingEventsCursor`).
//  - A SYSADMIN also sees the accounts and the permission rules in force.
// HTTP for queries and mutations, graphql-ws (its browser build, global `graphqlWs`) for subscriptions.
(function () {
  'use strict';
  var TOKEN_KEY = 'vpdt.token';
  var HTTP_URL = location.origin + '/graphql';
  var WS_URL = HTTP_URL.replace(/^http/, 'ws');
  var VIEWS = [
    'TO_REGISTER',
    'TO_SUBMIT',
    'AWAITING_DIRECTION',
    'TO_PROCESS',
    'DUE_SOON',
    'OVERDUE',
    'FOR_INFORMATION',
    'RETURNED',
    'DRAFTS',
    'TO_REVIEW',
    'TO_SIGN',
    'TO_ISSUE',
  ];
  var MAX_EVENTS = 100;

  var LOGIN = 'mutation Login($u: String!, $p: String!) { login(username: $u, password: $p) { token } }';
  // The stream position is read with the first data, so the subscription below misses nothing committed after it.
  var ME = 'query Me { me { id username fullName roles unit { name } } routingEventsCursor }';
  var COUNTS = 'subscription Counts { inboxCountsChanged { ' + VIEWS.join(' ') + ' } }';
  var EVENTS =
    'subscription Events($after: String) { routingEvents(after: $after) {' +
    ' id cursor at type fromState toState note actor { fullName } document { id subject } } }';
  var ADMIN =
    'query Admin { accounts(first: 100) { totalCount edges { node { username fullName roles status unit { name } } } }' +
    ' permissionRules { role account { username } inverted action subject condition fields reason } }';
  var ROLE = 'query Role($role: Role!) { rolePermissions(role: $role) { inverted action subject conditions fields } }';

  var $ = function (id) {
    return document.getElementById(id);
  };
  var session = null; // { token, me, ws }

  /** A GraphQL request over HTTP; rejects with the first error's message and code. */
  function gql(query, variables, token) {
    var headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = 'Bearer ' + token;
    return fetch(HTTP_URL, { method: 'POST', headers: headers, body: JSON.stringify({ query: query, variables: variables || {} }) })
      .then(function (res) {
        return res.json();
      })
      .then(function (body) {
        if (body.errors && body.errors.length) throw failure(body.errors[0]);
        return body.data;
      });
  }

  function failure(error) {
    var e = new Error(error.message || 'The request failed.');
    e.code = error.extensions && error.extensions.code;
    return e;
  }

  function showError(err) {
    $('error').textContent = err ? (err.code ? err.code + ': ' : '') + err.message : '';
  }

  /** A table row from values, as text (never HTML: the data is the users'). */
  function row(cells) {
    var tr = document.createElement('tr');
    cells.forEach(function (value) {
      var td = document.createElement('td');
      td.textContent = value === null || value === undefined ? '' : String(value);
      tr.appendChild(td);
    });
    return tr;
  }

  function fill(tbody, rows) {
    tbody.replaceChildren.apply(tbody, rows);
  }

  // ---- sign-in and sign-out

  $('signin-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    $('signin-error').textContent = '';
    gql(LOGIN, { u: $('username').value.trim(), p: $('password').value })
      .then(function (data) {
        localStorage.setItem(TOKEN_KEY, data.login.token);
        $('password').value = '';
        return start(data.login.token);
      })
      .catch(function (err) {
        $('signin-error').textContent = err.message;
      });
  });

  $('signout').addEventListener('click', function () {
    var token = session && session.token;
    stop('');
    if (token) gql('mutation { logout }', {}, token).catch(function () {});
  });

  /** Back to the sign-in form, with a reason when the server ended the session. */
  function stop(reason) {
    if (session) session.ws.dispose();
    session = null;
    localStorage.removeItem(TOKEN_KEY);
    ['counts-panel', 'events-panel', 'admin-panel', 'me', 'live-state', 'signout'].forEach(function (id) {
      $(id).hidden = true;
    });
    $('signin').hidden = false;
    $('signin-error').textContent = reason;
    fill($('events').tBodies[0], []);
  }

  // ---- the signed-in console

  function start(token) {
    return gql(ME, {}, token)
      .then(function (data) {
        var me = data.me;
        var ws = graphqlWs.createClient({
          url: WS_URL,
          connectionParams: { authorization: 'Bearer ' + token },
          on: {
            connected: function () {
              setLive('live');
            },
            closed: function (event) {
              // 4401: the session ended (logout, disabled account, new password): sign in again.
              if (event && event.code === 4401) stop('Your session has ended: sign in again.');
              else setLive('reconnecting…');
            },
          },
        });
        session = { token: token, me: me, ws: ws };
        $('signin').hidden = true;
        $('me').textContent = me.fullName + ' (' + me.username + ') — ' + me.roles.join(', ') + ' — ' + me.unit.name;
        ['me', 'signout', 'counts-panel', 'events-panel'].forEach(function (id) {
          $(id).hidden = false;
        });
        watchCounts(ws);
        watchEvents(ws, me, data.routingEventsCursor);
        if (me.roles.indexOf('SYSADMIN') >= 0) showAdmin(token);
      })
      .catch(function (err) {
        if (err.code === 'UNAUTHENTICATED') stop('Your session has ended: sign in again.');
        else showError(err);
      });
  }

  function setLive(text) {
    $('live-state').hidden = false;
    $('live-state').textContent = text;
  }

  function watchCounts(ws) {
    var shown = {};
    ws.subscribe(
      { query: COUNTS },
      {
        next: function (result) {
          if (result.errors) return showError(failure(result.errors[0]));
          var counts = result.data.inboxCountsChanged;
          var boxes = VIEWS.map(function (view) {
            var box = document.createElement('div');
            box.className = 'count' + (view in shown && shown[view] !== counts[view] ? ' changed' : '');
            box.id = 'count-' + view;
            var n = document.createElement('b');
            n.textContent = counts[view];
            box.append(n, view);
            return box;
          });
          shown = counts;
          fill($('counts'), boxes);
        },
        error: function (err) {
          showError(socketError(err));
        },
        complete: function () {},
      },
    );
  }

  /** One cursor per account, so that another person signing in on this browser starts from their own place. */
  function cursorKey(me) {
    return 'vpdt.console.cursor.' + me.id;
  }

  /**
   * Resumes after the last event shown (kept per account), or else from the position read with the page's
   * first query: never "from whenever the socket opens". At that seam an event may come twice (the stream
   * is at least once there): events already shown are skipped by id.
   */
  function watchEvents(ws, me, position) {
    var after = localStorage.getItem(cursorKey(me)) || position;
    $('resume-from').textContent = after || 'now';
    var tbody = $('events').tBodies[0];
    var seen = new Set();
    ws.subscribe(
      { query: EVENTS, variables: { after: after } },
      {
        next: function (result) {
          if (result.errors) return showError(failure(result.errors[0]));
          var e = result.data.routingEvents;
          if (seen.has(e.id)) return;
          if (seen.size > 5000) seen.clear(); // repeats happen only at the seam: a short memory is enough
          seen.add(e.id);
          localStorage.setItem(cursorKey(me), e.cursor);
          var tr = row([
            new Date(e.at).toLocaleString(),
            e.type,
            (e.fromState || '') + ' → ' + (e.toState || ''),
            e.document ? e.document.subject : '(not readable)',
            e.actor ? e.actor.fullName : '',
            e.note,
          ]);
          tr.dataset.cursor = e.cursor;
          tr.dataset.type = e.type;
          if (e.document) tr.dataset.documentId = e.document.id;
          tbody.prepend(tr);
          while (tbody.rows.length > MAX_EVENTS) tbody.lastElementChild.remove();
        },
        error: function (err) {
          showError(socketError(err));
        },
        complete: function () {},
      },
    );
  }

  function socketError(err) {
    if (Array.isArray(err)) return failure(err[0]);
    if (err && err.code) return { code: 'socket closed ' + err.code, message: err.reason || 'The connection was closed.' };
    return err instanceof Error ? err : new Error('The connection failed.');
  }

  // ---- what an administrator sees

  function showAdmin(token) {
    $('admin-panel').hidden = false;
    gql(ADMIN, {}, token)
      .then(function (data) {
        fill(
          $('accounts').tBodies[0],
          data.accounts.edges.map(function (edge) {
            var a = edge.node;
            return row([a.username, a.fullName, a.roles.join(', '), a.unit.name, a.status]);
          }),
        );
        fill(
          $('rules').tBodies[0],
          data.permissionRules.map(function (r) {
            return row([
              r.account ? r.account.username : 'role ' + r.role,
              r.inverted ? 'deny' : 'allow',
              r.action,
              r.subject,
              r.condition,
              (r.fields || []).join(', '),
              r.reason,
            ]);
          }),
        );
      })
      .catch(showError);
    var showRole = function () {
      gql(ROLE, { role: $('role').value }, token)
        .then(function (data) {
          fill(
            $('role-rules').tBodies[0],
            data.rolePermissions.map(function (r) {
              return row([
                r.inverted ? 'deny' : 'allow',
                r.action,
                r.subject,
                r.conditions ? JSON.stringify(r.conditions) : 'any',
                (r.fields || []).join(', '),
              ]);
            }),
          );
        })
        .catch(showError);
    };
    $('role').onchange = showRole;
    showRole();
  }

  var saved = localStorage.getItem(TOKEN_KEY);
  if (saved) start(saved);
})();
