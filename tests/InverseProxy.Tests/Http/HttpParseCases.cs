using InverseProxy.Http;

namespace InverseProxy.Tests.Http;

/// <summary>The shared request cases: valid heads, and malformed ones with the error and status they must get.</summary>
public static class HttpParseCases
{
    public static TheoryData<string> ValidRequests => new()
    {
        "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
        "GET /a/b?c=d&e=%20 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\nUser-Agent: curl/8.5\r\n\r\n",
        "GET / HTTP/1.0\r\n\r\n",
        "POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
        "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
        "GET http://example.com/x HTTP/1.1\r\nHost: example.com\r\n\r\n",
        "\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX-Empty:\r\nX-Spaces: \t a b \t\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX-Obs-Text: caf\u00e9\r\n\r\n",
        "M-SEARCH / HTTP/1.1\r\nHost: h\r\n\r\n",
    };

    public static TheoryData<string, string, int> MalformedRequests => new()
    {
        { "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", nameof(HttpParseError.InvalidRequestLine), 400 },
        { "GET / HTTP/1.1 \r\nHost: h\r\n\r\n", nameof(HttpParseError.InvalidRequestLine), 400 },
        { "GET /\r\nHost: h\r\n\r\n", nameof(HttpParseError.InvalidRequestLine), 400 },
        { " GET / HTTP/1.1\r\nHost: h\r\n\r\n", nameof(HttpParseError.InvalidRequestLine), 400 },
        { "G(T / HTTP/1.1\r\nHost: h\r\n\r\n", nameof(HttpParseError.InvalidMethod), 400 },
        { "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", nameof(HttpParseError.InvalidRequestTarget), 400 },
        { "GET /caf\u00e9 HTTP/1.1\r\nHost: h\r\n\r\n", nameof(HttpParseError.InvalidRequestTarget), 400 },
        { "GET /a\u0001 HTTP/1.1\r\nHost: h\r\n\r\n", nameof(HttpParseError.InvalidRequestTarget), 400 },
        { "GET * HTTP/1.1\r\nHost: h\r\n\r\n", nameof(HttpParseError.InvalidRequestTarget), 400 },
        { "GET example.com:80 HTTP/1.1\r\nHost: h\r\n\r\n", nameof(HttpParseError.InvalidRequestTarget), 400 },
        { "CONNECT /x HTTP/1.1\r\nHost: h\r\n\r\n", nameof(HttpParseError.InvalidRequestTarget), 400 },
        { "GET ftp://example.com/ HTTP/1.1\r\nHost: h\r\n\r\n", nameof(HttpParseError.InvalidRequestTarget), 400 },
        { "GET / HTTP/2.0\r\nHost: h\r\n\r\n", nameof(HttpParseError.UnsupportedVersion), 505 },
        { "GET / HTTP/0.9\r\nHost: h\r\n\r\n", nameof(HttpParseError.UnsupportedVersion), 505 },
        { "GET / http/1.1\r\nHost: h\r\n\r\n", nameof(HttpParseError.InvalidRequestLine), 400 },
        { "GET / HTTP/1.1.1\r\nHost: h\r\n\r\n", nameof(HttpParseError.InvalidRequestLine), 400 },
        { "GET / HTTP/1.1\r\nHost : h\r\n\r\n", nameof(HttpParseError.InvalidHeaderName), 400 },
        { "GET / HTTP/1.1\r\nHost: h\r\n: empty\r\n\r\n", nameof(HttpParseError.InvalidHeaderName), 400 },
        { "GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", nameof(HttpParseError.InvalidHeaderName), 400 },
        { "GET / HTTP/1.1\r\nHost: h\r\nX(y): z\r\n\r\n", nameof(HttpParseError.InvalidHeaderName), 400 },
        { "GET / HTTP/1.1\r\nHost: h\r\nX: a\u0000b\r\n\r\n", nameof(HttpParseError.InvalidHeaderValue), 400 },
        { "GET / HTTP/1.1\r\nHost: h\r\nX: a\u007fb\r\n\r\n", nameof(HttpParseError.InvalidHeaderValue), 400 },
        { "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n folded\r\n\r\n", nameof(HttpParseError.ObsoleteLineFolding), 400 },
        { "GET / HTTP/1.1\r\n Host: h\r\n\r\n", nameof(HttpParseError.ObsoleteLineFolding), 400 },
        { "GET / HTTP/1.1\nHost: h\r\n\r\n", nameof(HttpParseError.BareLineFeed), 400 },
        { "GET / HTTP/1.1\r\nHost: h\n\r\n", nameof(HttpParseError.BareLineFeed), 400 },
        { "GET / HTTP/1.1\r\nHost: h\r\n\n", nameof(HttpParseError.BareLineFeed), 400 },
        { "\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", nameof(HttpParseError.BareLineFeed), 400 },
        { "GET / HTTP/1.1\rHost: h\r\n\r\n", nameof(HttpParseError.BareCarriageReturn), 400 },
        { "GET / HTTP/1.1\r\nX: a\rb\r\nHost: h\r\n\r\n", nameof(HttpParseError.BareCarriageReturn), 400 },
        { "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", nameof(HttpParseError.MissingHost), 400 },
        { "GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", nameof(HttpParseError.MultipleHosts), 400 },
        { "GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n", nameof(HttpParseError.MultipleHosts), 400 },
        { "\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", nameof(HttpParseError.InvalidRequestLine), 400 },
    };
}
