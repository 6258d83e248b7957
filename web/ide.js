// GraphiQL on this server. Queries and mutations go over HTTP, subscriptions over graphql-ws, both with
// the bearer token from the bar above the IDE (kept in this browser's localStorage, shared with /console).
(function () {
  'use strict';
  var TOKEN_KEY = 'vpdt.token';
  var httpUrl = location.origin + '/graphql';
  var wsUrl = httpUrl.replace(/^http/, 'ws');
  var input = document.getElementById('token');
  input.value = localStorage.getItem(TOKEN_KEY) || '';

  function token() {
    return input.value.trim().replace(/^Bearer\s+/i, '');
  }

  // One socket per token: a new token closes the old socket, and the next subscription opens one with it.
  var ws = null;
  function wsClient() {
    if (!ws || ws.token !== token()) {
      if (ws) ws.client.dispose();
      var t = token();
      ws = { token: t, client: graphqlWs.createClient({ url: wsUrl, lazy: true, connectionParams: t ? { authorization: 'Bearer ' + t } : {} }) };
    }
    return ws.client;
  }

  function saveToken() {
    if (token()) localStorage.setItem(TOKEN_KEY, token());
    else localStorage.removeItem(TOKEN_KEY);
  }
  input.addEventListener('change', saveToken);
  document.getElementById('clear-token').addEventListener('click', function () {
    input.value = '';
    saveToken();
  });

  /** Whether the operation to run is a subscription (read from the text sent, never from an older parse). */
  function isSubscription(params) {
    var text = params.query.replace(/#[^\n]*/g, '');
    if (params.operationName) return new RegExp('\\bsubscription\\s+' + params.operationName + '\\b').test(text);
    return /^\s*subscription\b/.test(text);
  }

  // Subscriptions over graphql-ws; the rest over HTTP, where headers typed in GraphiQL's own "Headers"
  // tab are added to the token's and win over it.
  function fetcher(params, opts) {
    if (isSubscription(params))
      return wsClient().iterate({ query: params.query, variables: params.variables, operationName: params.operationName || undefined });
    var headers = token() ? { authorization: 'Bearer ' + token() } : {};
    return GraphiQL.createFetcher({ url: httpUrl, headers: headers })(params, opts);
  }

  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery:
        '# Paste a token above (mutation { login(username: "…", password: "…") { token } }), then:\n{\n  me { username fullName roles unit { name } }\n  inboxCounts { TO_REGISTER AWAITING_DIRECTION TO_PROCESS DUE_SOON OVERDUE }\n}\n',
    }),
  );
})();
