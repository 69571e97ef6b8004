using System.Net;
using System.Text;
using System.Text.Json;
using InverseProxy.Logging;
using InverseProxy.Tests.TestSupport;
using HttpVersion = InverseProxy.Http.HttpVersion;

namespace InverseProxy.Tests.Logging;

public sealed class AccessLogTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly LogFileWriter _writer;

    public AccessLogTests()
    {
        _writer = new LogFileWriter(_dir.Combine("access.log"), 0, 0, new LogTestClock());
    }

    public void Dispose()
    {
        _writer.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Render_Text_Golden()
    {
        Assert.Equal(
            "2026-11-22T10:00:00.123Z 127.0.0.1 \"GET /a?b=1 HTTP/1.1\" 200 1024 3.2ms target=127.0.0.1:9001 cache=MISS conn=42 site=shop",
            Render(AccessLogFormat.Text, Sample()));
    }

    [Fact]
    public void Render_TextCacheHitNoUpstream_WritesDashes()
    {
        AccessLogEntry entry = Sample() with { Upstream = null, Cache = CacheResult.Hit, Protocol = HttpVersion.Http10 };

        Assert.Equal(
            "2026-11-22T10:00:00.123Z 127.0.0.1 \"GET /a?b=1 HTTP/1.0\" 200 1024 3.2ms target=- cache=HIT conn=42 site=shop",
            Render(AccessLogFormat.Text, entry));
    }

    [Fact]
    public void Render_Combined_GoldenAsNginx()
    {
        Assert.Equal(
            "127.0.0.1 - - [22/Nov/2026:10:00:00 +0000] \"GET /a?b=1 HTTP/1.1\" 200 1024 \"http://ref/\" \"curl/8.5\"",
            Render(AccessLogFormat.Combined, Sample()));
    }

    [Fact]
    public void Render_CombinedInLocalZone_UsesLocalTimeAndOffset()
    {
        TimeZoneInfo zone = TimeZoneInfo.CreateCustomTimeZone("test-0530", TimeSpan.FromMinutes(-330), "test", "test");
        AccessLogEntry entry = Sample() with { Referer = null, UserAgent = null };

        Assert.Equal(
            "127.0.0.1 - - [22/Nov/2026:04:30:00 -0530] \"GET /a?b=1 HTTP/1.1\" 200 1024 \"-\" \"-\"",
            Render(AccessLogFormat.Combined, entry, new LogTestClock(zone)));
    }

    [Fact]
    public void Render_CombinedNoRequestLine_WritesDash()
    {
        AccessLogEntry entry = Sample() with { Method = null, Target = null, Status = 400, BytesSent = 0 };

        Assert.Equal(
            "127.0.0.1 - - [22/Nov/2026:10:00:00 +0000] \"-\" 400 0 \"http://ref/\" \"curl/8.5\"",
            Render(AccessLogFormat.Combined, entry));
    }

    [Fact]
    public void Render_Json_Golden()
    {
        Assert.Equal(
            "{\"time\":\"2026-11-22T10:00:00.123Z\",\"remote_addr\":\"127.0.0.1\",\"conn\":42,\"method\":\"GET\"," +
            "\"target\":\"/a?b=1\",\"protocol\":\"HTTP/1.1\",\"status\":200,\"bytes_sent\":1024,\"request_bytes\":5," +
            "\"duration_ms\":3.2,\"upstream\":\"127.0.0.1:9001\",\"site\":\"shop\",\"cache\":\"MISS\",\"referer\":\"http://ref/\"," +
            "\"user_agent\":\"curl/8.5\"}",
            Render(AccessLogFormat.Json, Sample()));
    }

    [Fact]
    public void Render_JsonMissingFields_WritesNull()
    {
        AccessLogEntry entry = Sample() with
        {
            ClientAddress = null, Upstream = null, Site = null, Cache = CacheResult.None, Referer = null, UserAgent = null,
        };

        string json = Render(AccessLogFormat.Json, entry);

        Assert.Contains("\"remote_addr\":null,", json, StringComparison.Ordinal);
        Assert.Contains("\"upstream\":null,\"site\":null,\"cache\":null,\"referer\":null,\"user_agent\":null}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TextControlBytesInTarget_EscapedAsHex()
    {
        AccessLogEntry entry = Sample() with { Target = "/a\n2026-11-22T10:00:00.000Z forged\x1b[0m\"\\\x7f" };

        Assert.Equal(
            "2026-11-22T10:00:00.123Z 127.0.0.1 \"GET /a\\x0A2026-11-22T10:00:00.000Z forged\\x1B[0m\\x22\\x5C\\x7F HTTP/1.1\" " +
            "200 1024 3.2ms target=127.0.0.1:9001 cache=MISS conn=42 site=shop",
            Render(AccessLogFormat.Text, entry));
    }

    [Fact]
    public void Render_CombinedControlAndHighBytesInUserAgent_EscapedAsHex()
    {
        AccessLogEntry entry = Sample() with { UserAgent = "x\"y\\z\r\n\x01\u00e9\u20ac" };

        Assert.EndsWith(
            "\"http://ref/\" \"x\\x22y\\x5Cz\\x0D\\x0A\\x01\\xE9\\xE2\\x82\\xAC\"",
            Render(AccessLogFormat.Combined, entry),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Render_JsonControlCharacters_JsonEscaped()
    {
        AccessLogEntry entry = Sample() with { Target = "/a\n\"b\"\\", UserAgent = "\x01\u00e9" };

        string json = Render(AccessLogFormat.Json, entry);

        Assert.Contains("\"target\":\"/a\\n\\\"b\\\"\\\\\"", json, StringComparison.Ordinal);
        Assert.Contains("\"user_agent\":\"\\u0001\u00e9\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', json);
    }

    [Theory]
    [InlineData("Mozilla/5.0 (Gr\u00fc\u00dfe; \u20ac) \U0001F600")]
    [InlineData("\u65e5\u672c\u8a9e")]
    public void Render_JsonUtf8HeaderBytes_DecodedAsTheTextTheClientSent(string userAgent)
    {
        AccessLogEntry entry = Sample() with { UserAgent = AsWireText(Encoding.UTF8.GetBytes(userAgent)) };

        byte[] line = RenderBytes(AccessLogFormat.Json, entry);

        Assert.True(System.Text.Unicode.Utf8.IsValid(line));
        using var document = JsonDocument.Parse(line);
        Assert.Equal(userAgent, document.RootElement.GetProperty("user_agent").GetString());
    }

    [Fact]
    public void Render_JsonBytesNotUtf8_StillValidJsonKeepingEachByte()
    {
        // A lone lead byte, a stray continuation byte, an overlong '/' and a truncated sequence at the end.
        byte[] wire = [(byte)'a', 0xC3, (byte)'b', 0x80, 0xC0, 0xAF, (byte)'c', 0xE2, 0x82];
        AccessLogEntry entry = Sample() with { Target = "/" + AsWireText(wire), UserAgent = AsWireText([0xFF, 0xC3, 0xA9]) };

        byte[] line = RenderBytes(AccessLogFormat.Json, entry);

        Assert.True(System.Text.Unicode.Utf8.IsValid(line));
        using var document = JsonDocument.Parse(line);
        Assert.Equal("/a\u00c3b\u0080\u00c0\u00afc\u00e2\u0082", document.RootElement.GetProperty("target").GetString());
        Assert.Equal("\u00ff\u00e9", document.RootElement.GetProperty("user_agent").GetString());
    }

    [Fact]
    public void Write_DefaultTimestamp_UsesTheClockAndReachesTheFile()
    {
        var log = new AccessLog(_writer, AccessLogFormat.Text, new LogTestClock());

        log.Write(Sample() with { Timestamp = default });
        log.Write(Sample() with { ConnectionId = 43 });
        Assert.True(_writer.Flush(TimeSpan.FromSeconds(10)));

        string[] lines = LogFiles.ReadLines(_writer.Path);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("2026-11-22T10:00:00.123Z 127.0.0.1 ", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(" conn=43 site=shop", lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text", "Text")]
    [InlineData("Combined", "Combined")]
    [InlineData(" JSON ", "Json")]
    public void Parse_KnownName_ReturnsFormat(string text, string expected)
    {
        Assert.Equal(expected, AccessLogFormats.Parse(text).ToString());
    }

    [Fact]
    public void Parse_UnknownName_ThrowsNamingKeyAndValue()
    {
        var ex = Assert.Throws<FormatException>(() => AccessLogFormats.Parse("xml"));

        Assert.Equal("access_log_format must be text, combined or json (was 'xml')", ex.Message);
    }

    // The head parser's view of header bytes: one char per byte.
    private static string AsWireText(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    private byte[] RenderBytes(AccessLogFormat format, AccessLogEntry entry)
    {
        var log = new AccessLog(_writer, format, new LogTestClock());
        var line = new LineBuffer();
        log.Render(in entry, line);
        return line.WrittenSpan.ToArray();
    }

    private string Render(AccessLogFormat format, AccessLogEntry entry, TimeProvider? clock = null)
    {
        var log = new AccessLog(_writer, format, clock ?? new LogTestClock());
        var line = new LineBuffer();
        log.Render(in entry, line);
        return Encoding.UTF8.GetString(line.WrittenSpan);
    }

    private static AccessLogEntry Sample() => new()
    {
        Timestamp = LogTestClock.Fixed,
        ClientAddress = IPAddress.Loopback,
        Method = "GET",
        Target = "/a?b=1",
        Protocol = HttpVersion.Http11,
        Status = 200,
        BytesSent = 1024,
        RequestBytes = 5,
        Duration = TimeSpan.FromMilliseconds(3.2),
        Upstream = "127.0.0.1:9001",
        Cache = CacheResult.Miss,
        UserAgent = "curl/8.5",
        Referer = "http://ref/",
        ConnectionId = 42,
        Site = "shop",
    };
}
