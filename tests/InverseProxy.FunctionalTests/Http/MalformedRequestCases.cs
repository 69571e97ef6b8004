using InverseProxy.Configuration;

namespace InverseProxy.FunctionalTests.Http;

/// <summary>
/// Raw requests the proxy must refuse (RFC 9112), with the status each must get. Every case runs against a proxy
/// configured by <see cref="ApplyLimits"/>, so the limit cases can stay small.
/// </summary>
public static class MalformedRequestCases
{
    public const int MaxRequestLine = 1024;
    public const int MaxHeaderBytes = 4096;
    public const int MaxHeaderCount = 20;
    public const int MaxBody = 1000;

    public static TheoryData<string, string, int> All => new()
    {
        // RFC 9112 §6.1 / §6.3: framing a front end and a back end could read differently (smuggling).
        { "cl-with-te", Post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400 },
        { "te-with-cl", Post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "0\r\n\r\n"), 400 },
        { "differing-cl-fields", Post("Content-Length: 5\r\nContent-Length: 6\r\n", "hello!"), 400 },
        { "differing-cl-list", Post("Content-Length: 5, 6\r\n", "hello!"), 400 },
        { "cl-non-numeric", Post("Content-Length: abc\r\n", ""), 400 },
        { "cl-plus-sign", Post("Content-Length: +5\r\n", "hello"), 400 },
        { "cl-negative", Post("Content-Length: -1\r\n", ""), 400 },
        { "cl-hex", Post("Content-Length: 0x5\r\n", "hello"), 400 },
        { "cl-overflow", Post("Content-Length: 99999999999999999999\r\n", ""), 400 },
        { "te-chunked-then-gzip", Post("Transfer-Encoding: chunked, gzip\r\n", "0\r\n\r\n"), 400 },
        // RFC 9112 §6.3 item 4 (MUST 400) wins over §6.1 (SHOULD 501) when chunked is not final.
        { "te-gzip-only", Post("Transfer-Encoding: gzip\r\n", "hello"), 400 },
        { "te-gzip-then-chunked", Post("Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n"), 501 },
        { "te-chunked-twice", Post("Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n"), 400 },
        { "te-in-http10", "POST /m HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400 },
        { "bad-chunk-size-mid-body", Post("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\nzz\r\nworld\r\n0\r\n\r\n"), 400 },
        { "bad-chunk-terminator", Post("Transfer-Encoding: chunked\r\n", "5\r\nhelloXX5\r\nworld\r\n0\r\n\r\n"), 400 },
        // RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS token [ BWS "=" BWS ( token / quoted-string ) ] ).
        { "chunk-ext-bare-semicolon", Post("Transfer-Encoding: chunked\r\n", "5;\r\nhello\r\n0\r\n\r\n"), 400 },
        { "chunk-ext-not-token", Post("Transfer-Encoding: chunked\r\n", "5;a@b=c\r\nhello\r\n0\r\n\r\n"), 400 },
        { "chunk-ext-open-quote", Post("Transfer-Encoding: chunked\r\n", "5;a=\"b\r\nhello\r\n0\r\n\r\n"), 400 },
        { "chunk-size-overflow", Post("Transfer-Encoding: chunked\r\n", "ffffffffffffffffff\r\nx\r\n0\r\n\r\n"), 400 },
        // RFC 9112 §5.2, §2.2: obs-fold and bare CR/LF are refused, not repaired.
        { "obs-fold", "GET /m HTTP/1.1\r\nHost: h\r\nX-Folded: a\r\n b\r\n\r\n", 400 },
        { "obs-fold-tab", "GET /m HTTP/1.1\r\nHost: h\r\nX-Folded: a\r\n\tb\r\n\r\n", 400 },
        { "bare-lf-head", "GET /m HTTP/1.1\nHost: h\n\n", 400 },
        { "bare-lf-field", "GET /m HTTP/1.1\r\nHost: h\nX-A: b\r\n\r\n", 400 },
        { "bare-cr-field", "GET /m HTTP/1.1\r\nHost: h\rX-A: b\r\n\r\n", 400 },
        { "bare-cr-request-line", "GET /m\r HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "nul-in-value", "GET /m HTTP/1.1\r\nHost: h\r\nX-A: a\0b\r\n\r\n", 400 },
        { "ctl-in-value", "GET /m HTTP/1.1\r\nHost: h\r\nX-A: a\u0001b\r\n\r\n", 400 },
        { "del-in-value", "GET /m HTTP/1.1\r\nHost: h\r\nX-A: a\u007Fb\r\n\r\n", 400 },
        { "space-before-colon", "GET /m HTTP/1.1\r\nHost: h\r\nX-A : b\r\n\r\n", 400 },
        { "empty-field-name", "GET /m HTTP/1.1\r\nHost: h\r\n: b\r\n\r\n", 400 },
        // RFC 9112 §3.2: exactly one Host in HTTP/1.1.
        { "missing-host", "GET /m HTTP/1.1\r\nX-A: b\r\n\r\n", 400 },
        { "duplicate-host", "GET /m HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400 },
        // RFC 9112 §3, §2.3
        { "http20", "GET /m HTTP/2.0\r\nHost: h\r\n\r\n", 505 },
        { "http12", "GET /m HTTP/1.2\r\nHost: h\r\n\r\n", 505 },
        { "lowercase-version", "GET /m http/1.1\r\nHost: h\r\n\r\n", 400 },
        { "double-space-request-line", "GET  /m HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "target-not-origin-form", "GET m HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "method-not-token", "G(T /m HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        // Each bound has its own answer.
        // RFC 9110 §9.1: a method longer than the whole line limit is not implemented; it is not a long URI.
        { "method-too-long", $"{new string('M', (MaxRequestLine * 10) + 10)} /m HTTP/1.1\r\nHost: h\r\n\r\n", 501 },
        { "request-line-too-long", $"GET /{new string('a', MaxRequestLine + 10)} HTTP/1.1\r\nHost: h\r\n\r\n", 414 },
        { "head-too-large", $"GET /m HTTP/1.1\r\nHost: h\r\n{Fields(10, 500)}\r\n", 431 },
        { "too-many-fields", $"GET /m HTTP/1.1\r\nHost: h\r\n{Fields(MaxHeaderCount + 5, 4)}\r\n", 431 },
        { "content-length-over-max-body", Post($"Content-Length: {MaxBody + 1}\r\n", new string('b', MaxBody + 1)), 413 },
        { "chunked-body-over-max-body", Post("Transfer-Encoding: chunked\r\n", $"258\r\n{new string('c', 600)}\r\n258\r\n{new string('d', 600)}\r\n0\r\n\r\n"), 413 },
    };

    internal static void ApplyLimits(ProxyOptions options)
    {
        options.MaxRequestLineBytes = MaxRequestLine;
        options.MaxHeaderBytes = MaxHeaderBytes;
        options.MaxHeaderCount = MaxHeaderCount;
        options.MaxRequestBodyBytes = MaxBody;
    }

    private static string Post(string fields, string body) => $"POST /m HTTP/1.1\r\nHost: h\r\n{fields}\r\n{body}";

    private static string Fields(int count, int valueLength) =>
        string.Concat(Enumerable.Range(0, count).Select(i => $"X-Field-{i}: {new string('v', valueLength)}\r\n"));
}
