using System.Text;

namespace InverseProxy.Admin;

/// <summary>
/// The page that starts a load test against this proxy (POST /load-test) and polls /load-test/status twice a second
/// for its progress and result. The limits shown are admin_loadtest_connections and admin_loadtest_duration.
/// </summary>
internal static class LoadTestPage
{
    public static readonly byte[] Page = Encoding.UTF8.GetBytes($$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>InverseProxy load test</title>
        {{Dashboard.Style}}
        </head>
        <body><h1>Load test</h1><nav><a href="/">Dashboard</a><a href="/load-test">Load test</a></nav>
        <p>Sends GET requests to this proxy's own port over keep-alive connections for a while, then shows what it measured.</p>
        <form id="form">
          <table>
            <tr><td><label for="path">Path</label></td><td><input id="path" value="/" size="40"></td></tr>
            <tr><td><label for="host">Host (site)</label></td><td><input id="host" placeholder="the proxy's address" size="40"></td></tr>
            <tr><td><label for="connections">Connections</label></td><td><input id="connections" type="number" min="1" value="10"> <span id="max-connections"></span></td></tr>
            <tr><td><label for="duration">Duration (s)</label></td><td><input id="duration" type="number" min="1" value="10"> <span id="max-duration"></span></td></tr>
            <tr id="token-row" hidden><td><label for="token">admin_token</label></td><td><input id="token" type="password" autocomplete="off"></td></tr>
          </table>
          <button id="start" type="submit">Start</button> <span id="message" class="error"></span>
        </form>
        <h2>Progress</h2><div id="progress" data-state="idle">no test yet</div>
        <h2>Result</h2><div id="result">none yet</div>
        <script>
        const $ = id => document.getElementById(id);
        const esc = t => String(t).replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
        const row = (k, v, id) => `<tr><td>${k}</td><td class="n"${id ? ` id="${id}"` : ''}>${v}</td></tr>`;
        function show(s) {
          $('max-connections').textContent = `at most ${s.limits.connections}`;
          $('max-duration').textContent = `at most ${s.limits.duration_seconds}`;
          $('connections').max = s.limits.connections; $('duration').max = s.limits.duration_seconds;
          $('token-row').hidden = !s.limits.token_required;
          const p = $('progress');
          p.dataset.state = s.state;
          if (s.run) {
            p.innerHTML = `<table>${row('state', s.state, 'state')}${row('target', esc(s.run.url) + (s.run.host ? ' (Host: ' + esc(s.run.host) + ')' : ''))}`
              + `${row('connections', s.run.connections)}${row('elapsed (s)', `${s.run.elapsed_seconds} of ${s.run.duration_seconds}`)}`
              + `${row('requests', s.run.requests, 'progress-requests')}${row('errors', s.run.errors)}</table>`;
          }
          if (s.error) $('result').innerHTML = `<span class="error">failed: ${esc(s.error)}</span>`;
          const r = s.result;
          if (r) {
            $('result').innerHTML = `<table id="result-table">${row('requests', r.requests, 'result-requests')}${row('req/s', r.requests_per_second, 'result-rps')}`
              + `${row('p50 (ms)', r.p50_ms, 'result-p50')}${row('p90 (ms)', r.p90_ms, 'result-p90')}${row('p99 (ms)', r.p99_ms, 'result-p99')}`
              + `${row('errors', r.errors, 'result-errors')}`
              + Object.entries(r.statuses).map(([k, v]) => row('status ' + k, v, 'result-status-' + k)).join('') + `</table>`;
          }
          $('start').disabled = s.state === 'running';
        }
        async function poll() {
          try { show(await (await fetch('/load-test/status', { cache: 'no-store' })).json()); }
          catch (e) { $('progress').textContent = 'status unavailable: ' + e; }
        }
        $('form').addEventListener('submit', async ev => {
          ev.preventDefault();
          $('message').textContent = '';
          const q = new URLSearchParams({ path: $('path').value, connections: $('connections').value, duration: $('duration').value + 's' });
          if ($('host').value) q.set('host', $('host').value);
          const headers = $('token').value ? { Authorization: 'Bearer ' + $('token').value } : {};
          const answer = await fetch('/load-test?' + q, { method: 'POST', headers });
          if (answer.ok) { $('result').textContent = 'running…'; show(await answer.json()); }
          else $('message').textContent = `${answer.status}: ${await answer.text()}`;
        });
        poll(); setInterval(poll, 500);
        </script></body></html>
        """);
}
