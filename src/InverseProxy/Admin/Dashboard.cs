using System.Text;

namespace InverseProxy.Admin;

/// <summary>A single self-contained page that polls /proxy-stats every second and shows the numbers that matter.</summary>
internal static class Dashboard
{
    /// <summary>The favicon both pages link to; served for /favicon.ico too, which browsers ask for on their own.</summary>
    public static readonly byte[] Icon = Encoding.UTF8.GetBytes("""
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#246"/><path d="M4 4h3v8H4zM9 4h3l-3 8z" fill="#fff"/></svg>
        """);

    /// <summary>Style shared by the dashboard and the load test page.</summary>
    public const string Style = """
        <link rel="icon" href="/favicon.svg" type="image/svg+xml">
        <style>
          body { font: 14px system-ui, sans-serif; margin: 2rem; color: #222; }
          h1 { font-size: 1.3rem; } h2 { font-size: 1.05rem; margin-top: 1.5rem; } nav a { margin-right: 1rem; }
          table { border-collapse: collapse; margin: 0 2rem 1rem 0; display: inline-table; vertical-align: top; }
          td, th { padding: .2rem .8rem; border-bottom: 1px solid #ddd; text-align: left; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
          .down { color: #b00; } .up { color: #070; } .error { color: #b00; }
        </style>
        """;

    // Per-site "compressed" is shown once /proxy-stats reports sites[].compressed; until then the column says "n/a".
    public static readonly byte[] Page = Encoding.UTF8.GetBytes($$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>InverseProxy</title>
        {{Style}}
        </head>
        <body><h1>InverseProxy</h1><nav><a href="/">Dashboard</a><a href="/load-test">Load test</a><a href="/proxy-stats">JSON</a><a href="/metrics">Metrics</a></nav>
        <div id="root">loading…</div>
        <script>
        const row = (k, v, id) => `<tr><td>${k}</td><td class="n"${id ? ` id="${id}"` : ''}>${v}</td></tr>`;
        const pct = x => (100 * x).toFixed(1) + '%';
        const esc = t => String(t).replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
        const sum = (sites, k) => sites.reduce((n, s) => n + (s[k] ?? 0), 0);
        const orNa = v => v === undefined ? 'n/a' : v;
        const reported = (sites, k) => sites.some(x => x[k] !== undefined);
        async function tick() {
          try {
            const s = await (await fetch('/proxy-stats', { cache: 'no-store' })).json();
            const c = s.cache;
            let html = `<table><tr><th colspan=2>Traffic</th></tr>${row('uptime (s)', s.uptime_seconds.toFixed(0))}${row('requests', s.requests.total, 'requests-total')}`
              + Object.entries(s.requests.by_status).map(([k, v]) => row(k, v)).join('')
              + `${row('active connections', s.connections.active)}${row('bytes out', s.bytes_out, 'bytes-out')}</table>`;
            if (c) html += `<table><tr><th colspan=2>Cache</th></tr>${row('hit ratio', pct(c.hit_ratio))}${row('hits', c.hits, 'cache-hits')}${row('misses', c.misses)}`
              + `${row('stale served', c.stale_served)}${row('entries', c.entries)}${row('bytes', c.bytes)}${row('evictions', c.evictions)}`
              + `${row('last flush', c.persistence.last_flush_at ?? '-')}</table>`;
            html += `<table><tr><th colspan=2>Traffic policy</th></tr>${row('rate limited (429)', sum(s.sites, 'rate_limited'), 'rate-limited')}`
              + `${row('filtered', sum(s.sites, 'filtered'), 'filtered')}`
              + `${row('compressed', reported(s.sites, 'compressed') ? sum(s.sites, 'compressed') : 'n/a', 'compressed')}</table>`;
            const u = s.upstream;
            html += `<table><tr><th colspan=2>Target connections</th></tr>${row('opened', u.connections_opened)}${row('reused', u.connections_reused)}`
              + `${row('idle in pool', u.connections_idle)}</table>`;
            html += `<h2>Sites</h2><table id="sites"><tr><th>Site</th><th>Requests</th><th>Hits</th><th>Misses</th><th>Errors</th><th>Refused</th><th>Filtered</th><th>Rate limited</th><th>Compressed</th></tr>`
              + s.sites.map(x => `<tr><td>${esc(x.site)}</td>` + [x.requests, x.cache_hits, x.cache_misses, x.errors, x.refused, x.filtered, x.rate_limited, orNa(x.compressed)]
                  .map(v => `<td class="n">${v}</td>`).join('') + `</tr>`).join('')
              + `</table>`;
            html += `<h2>Targets</h2><table><tr><th>Target</th><th>State</th><th>Requests</th><th>Failures</th></tr>`
              + u.targets.map(t => `<tr><td>${esc(t.target)}</td><td class="${t.healthy ? 'up' : 'down'}">${t.healthy ? 'up' : 'held down'}</td><td class="n">${t.requests}</td><td class="n">${t.failures}</td></tr>`).join('')
              + `</table>`;
            document.getElementById('root').innerHTML = html;
          } catch (e) { document.getElementById('root').textContent = 'stats unavailable: ' + e; }
        }
        tick(); setInterval(tick, 1000);
        </script></body></html>
        """);
}
