using System.Text;

namespace InverseProxy.Admin;

/// <summary>A single self-contained page that polls /proxy-stats every second and shows the numbers that matter.</summary>
internal static class Dashboard
{
    public static readonly byte[] Page = Encoding.UTF8.GetBytes("""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>InverseProxy</title>
        <style>
          body { font: 14px system-ui, sans-serif; margin: 2rem; color: #222; }
          h1 { font-size: 1.3rem; } table { border-collapse: collapse; margin: 0 2rem 1rem 0; display: inline-table; vertical-align: top; }
          td, th { padding: .2rem .8rem; border-bottom: 1px solid #ddd; text-align: left; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
          .down { color: #b00; } .up { color: #070; }
        </style></head>
        <body><h1>InverseProxy</h1><div id="root">loading…</div>
        <script>
        const row = (k, v) => `<tr><td>${k}</td><td class="n">${v}</td></tr>`;
        const pct = x => (100 * x).toFixed(1) + '%';
        async function tick() {
          try {
            const s = await (await fetch('/proxy-stats', { cache: 'no-store' })).json();
            const c = s.cache;
            let html = `<table><tr><th colspan=2>Traffic</th></tr>${row('uptime (s)', s.uptime_seconds.toFixed(0))}${row('requests', s.requests.total)}`
              + Object.entries(s.requests.by_status).map(([k, v]) => row(k, v)).join('')
              + `${row('active connections', s.connections.active)}${row('bytes out', s.bytes_out)}</table>`;
            if (c) html += `<table><tr><th colspan=2>Cache</th></tr>${row('hit ratio', pct(c.hit_ratio))}${row('hits', c.hits)}${row('misses', c.misses)}`
              + `${row('stale served', c.stale_served)}${row('entries', c.entries)}${row('bytes', c.bytes)}${row('evictions', c.evictions)}`
              + `${row('last flush', c.persistence.last_flush_at ?? '-')}</table>`;
            const u = s.upstream;
            html += `<table><tr><th colspan=2>Target connections</th></tr>${row('opened', u.connections_opened)}${row('reused', u.connections_reused)}`
              + `${row('idle in pool', u.connections_idle)}</table>`;
            html += `<table><tr><th>Target</th><th>State</th><th>Requests</th><th>Failures</th></tr>`
              + u.targets.map(t => `<tr><td>${t.target}</td><td class="${t.healthy ? 'up' : 'down'}">${t.healthy ? 'up' : 'held down'}</td><td class="n">${t.requests}</td><td class="n">${t.failures}</td></tr>`).join('')
              + `</table>`;
            document.getElementById('root').innerHTML = html;
          } catch (e) { document.getElementById('root').textContent = 'stats unavailable: ' + e; }
        }
        tick(); setInterval(tick, 1000);
        </script></body></html>
        """);
}
