using System.Text;

namespace InverseProxy.FunctionalTests.Http;

/// <summary>Seeded generator of request bytes: valid requests mixed with garbage, torn heads, huge lines and bad bodies.</summary>
internal sealed class RandomRequests
{
    private static readonly string[] Malformed = MalformedRequestCases.All.Select(row => (string)row[1]).ToArray();
    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "FOO"];

    private readonly Random _random;

    public RandomRequests(int seed)
    {
        _random = new Random(seed);
    }

    /// <summary>One connection's worth: 1 to 20 requests, some valid, in one byte array.</summary>
    public byte[] NextConnection(out int items)
    {
        items = _random.Next(1, 21);
        var output = new MemoryStream();
        for (int i = 0; i < items; i++)
        {
            output.Write(Next());
        }
        return output.ToArray();
    }

    public byte[] Next() => _random.Next(10) switch
    {
        0 or 1 => Latin1(Valid()),
        2 => RandomBytes(_random.Next(1, 300)),
        3 => Truncated(Latin1(Valid())),
        4 => Latin1($"GET /r HTTP/1.1\r\nHost: h\r\n{RandomLine()}\r\n{RandomLine()}\r\n\r\n"),
        5 => Latin1($"GET /{new string('l', _random.Next(1_000, 40_000))} HTTP/1.1\r\nHost: h\r\n\r\n"),
        6 => Latin1($"GET /r HTTP/1.1\r\nHost: h\r\nX-Huge: {new string('h', _random.Next(1_000, 40_000))}\r\n\r\n"),
        7 => Latin1($"POST /r HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n{_random.Next(1, 99):X}\r\n{RandomLine()}\r\n"),
        8 => Latin1(Malformed[_random.Next(Malformed.Length)]),
        _ => Latin1($"POST /r HTTP/1.1\r\nHost: h\r\nContent-Length: {_random.Next(0, 50)}\r\n\r\n{RandomLine()}"),
    };

    private string Valid()
    {
        string method = Methods[_random.Next(Methods.Length)];
        string path = $"/v{_random.Next(1000)}";
        return _random.Next(4) switch
        {
            0 => $"{method} {path} HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc",
            1 => $"{method} {path} HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
            2 => $"{method} {path} HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
            _ => $"{method} {path} HTTP/1.1\r\nHost: h\r\nX-Random: {_random.Next()}\r\n\r\n",
        };
    }

    private byte[] Truncated(byte[] bytes) => bytes[.._random.Next(1, bytes.Length)];

    private string RandomLine()
    {
        var line = new StringBuilder();
        int length = _random.Next(0, 80);
        for (int i = 0; i < length; i++)
        {
            // Mostly printable, sometimes a control byte, colon or high byte.
            line.Append(_random.Next(20) switch
            {
                0 => (char)_random.Next(0, 32),
                1 => ':',
                2 => (char)_random.Next(128, 256),
                _ => (char)_random.Next(32, 127),
            });
        }
        return line.ToString();
    }

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);
}
