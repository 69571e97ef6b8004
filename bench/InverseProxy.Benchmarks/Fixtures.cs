using System.Text;
using InverseProxy.Caching;
using InverseProxy.Configuration;
using InverseProxy.Http;

namespace InverseProxy.Benchmarks;

/// <summary>Messages and cache contents shared by the benchmarks and the persistence run.</summary>
internal static class Fixtures
{
    /// <summary>A desktop browser's GET: about 500 bytes, 10 header fields.</summary>
    public static readonly byte[] BrowserGet = Encoding.ASCII.GetBytes(
        "GET /articles/2024/caching-reverse-proxies?page=2&sort=recent HTTP/1.1\r\n"
        + "Host: www.example.com\r\n"
        + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
        + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
        + "Accept-Language: en-US,en;q=0.5\r\n"
        + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
        + "Referer: https://www.example.com/articles/2024/\r\n"
        + "Connection: keep-alive\r\n"
        + "Cookie: session=3f1c2a9e8b7d4c6f; theme=dark\r\n"
        + "Upgrade-Insecure-Requests: 1\r\n"
        + "Priority: u=0, i\r\n"
        + "\r\n");

    public static readonly byte[] MinimalGet = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n");

    /// <summary>A typical origin response head: about 400 bytes, 10 header fields.</summary>
    public static readonly byte[] TypicalResponse = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\n"
        + "Server: nginx/1.26.2\r\n"
        + "Date: Tue, 05 Nov 2024 10:15:30 GMT\r\n"
        + "Content-Type: text/html; charset=utf-8\r\n"
        + "Content-Length: 48213\r\n"
        + "Last-Modified: Mon, 04 Nov 2024 18:02:11 GMT\r\n"
        + "Connection: keep-alive\r\n"
        + "ETag: \"6729095f-bc55\"\r\n"
        + "Cache-Control: public, max-age=600\r\n"
        + "Vary: Accept-Encoding\r\n"
        + "Accept-Ranges: bytes\r\n"
        + "\r\n");

    public static ProxyOptions CacheOptions(long cacheSize, long maxEntrySize) =>
        new() { CacheSize = cacheSize, MaxEntrySize = maxEntrySize };

    public static RequestHead Get(string target)
    {
        var headers = new HttpHeaders();
        headers.Add("Host", "www.example.com");
        headers.Add("User-Agent", "bench");
        headers.Add("Accept", "*/*");
        return new RequestHead("GET", target, HttpVersion.Http11, headers);
    }

    public static ResponseHead Ok(int contentLength)
    {
        var headers = new HttpHeaders();
        headers.Add("Server", "origin");
        headers.Add("Content-Type", "application/octet-stream");
        headers.Add("Content-Length", contentLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
        headers.Add("Cache-Control", "public, max-age=86400");
        headers.Add("ETag", "\"5f3a-1\"");
        return new ResponseHead(HttpVersion.Http11, 200, "OK", headers);
    }

    /// <summary>Stores <paramref name="count"/> responses of <paramref name="bodySize"/> random bytes under /obj?i=N.</summary>
    public static void Fill(ResponseCache cache, int count, int bodySize, int seed = 1)
    {
        var random = new Random(seed);
        var response = Ok(bodySize);
        var now = TimeProvider.System.GetUtcNow();
        for (int i = 0; i < count; i++)
        {
            var request = Get("/obj?i=" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var body = new byte[bodySize];
            random.NextBytes(body);
            var decision = cache.Evaluate(request, response, now, now);
            if (cache.Store(KeyOf(request), request, response, body, decision) is null)
            {
                throw new InvalidOperationException($"entry {i} was not stored ({decision})");
            }
        }
    }

    /// <summary>The primary key the request path gives <paramref name="head"/> (default site, plain http).</summary>
    public static string KeyOf(RequestHead head)
    {
        var request = new InverseProxy.Proxy.ProxyRequest();
        InverseProxy.Proxy.RequestAuthority.Bind(request, head, null!, "http");
        return request.CacheKey;
    }
}
