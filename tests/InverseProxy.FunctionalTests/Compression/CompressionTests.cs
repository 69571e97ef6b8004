using System.IO.Compression;
using System.Text;
using InverseProxy.FunctionalTests.TestSupport;
using static InverseProxy.FunctionalTests.TestSupport.CacheProbe;

namespace InverseProxy.FunctionalTests.Compression;

public sealed class CompressionTests
{
    // About 40 KB of text that compresses as pages do: repeated words, not random bytes.
    private static readonly byte[] s_page = Encoding.UTF8.GetBytes(string.Concat(
        Enumerable.Range(0, 800).Select(i => $"<p>line {i} of the page, with words that repeat</p>\n")));

    private static OriginResponse Page() =>
        Response(200, "OK", s_page, ("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "max-age=60"), ("ETag", "\"v1\""));

    private static OriginResponse Response(int status, string reason, byte[] body, params (string Name, string Value)[] headers) => new()
    {
        Status = status,
        Reason = reason,
        Body = body,
        Headers = headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).ToList(),
    };

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("gzip, deflate, br", "br")]
    [InlineData("br;q=0.5, gzip", "gzip")]
    public void Get_AcceptedCoding_BodyDecodesToOriginBytesAndSecondIsHitInSameCoding(string accept, string coding)
    {
        using var origin = new ScriptedOrigin(_ => Page());
        using var proxy = ProxyInstance.Start(origin.Port);

        var first = GetStored(proxy, "/page", $"Accept-Encoding: {accept}");
        var second = Get(proxy.Port, "/page", $"Accept-Encoding: {accept}");

        foreach (var response in new[] { first, second })
        {
            Assert.Equal("HTTP/1.1 200 OK", response.StartLine);
            Assert.Equal(coding, response.Header("Content-Encoding"));
            Assert.Equal("Accept-Encoding", response.Header("Vary"));
            Assert.Equal("W/\"v1\"", response.Header("ETag"));
            Assert.True(response.Body.Length < s_page.Length / 4, $"encoded {response.Body.Length} bytes of {s_page.Length}");
            Assert.Equal(s_page, Decode(coding, response.Body));
        }
        Assert.Equal("MISS", first.Header("X-Cache"));
        Assert.Equal("HIT", second.Header("X-Cache"));
        Assert.Equal(first.Body, second.Body);
        // The miss streamed through the encoder (chunked); the hit sends the stored bytes with their length.
        Assert.Equal("chunked", first.Header("Transfer-Encoding"));
        Assert.Equal(second.Body.Length.ToString(), second.Header("Content-Length"));
        Assert.Equal(1, origin.RequestCount);
        Assert.Equal(2, proxy.Server.Config.Sites.Default!.Counters.Compressed);
    }

    [Fact]
    public void Get_SpellingsOfOneChoice_ShareOneEntry_OtherChoicesGetTheirOwn()
    {
        using var origin = new ScriptedOrigin(_ => Page());
        using var proxy = ProxyInstance.Start(origin.Port);

        GetStored(proxy, "/page", "Accept-Encoding: gzip, deflate, br");
        var same = Get(proxy.Port, "/page", "Accept-Encoding: br, gzip");
        var plain = GetStored(proxy, "/page");
        var plainAgain = Get(proxy.Port, "/page", "Accept-Encoding: identity");

        Assert.Equal(("HIT", "br"), (same.Header("X-Cache"), same.Header("Content-Encoding")));
        // The client that accepts no coding is never served the encoded entry, nor is it stored for it.
        Assert.Equal("MISS", plain.Header("X-Cache"));
        Assert.Null(plain.Header("Content-Encoding"));
        Assert.Equal(s_page, plain.Body);
        Assert.Equal("Accept-Encoding", plain.Header("Vary"));
        Assert.Equal("\"v1\"", plain.Header("ETag"));
        Assert.Equal(("HIT", null), (plainAgain.Header("X-Cache"), plainAgain.Header("Content-Encoding")));
        Assert.Equal(s_page, plainAgain.Body);
        Assert.Equal(2, origin.RequestCount);
    }

    [Fact]
    public void Get_NoTransformFromOrigin_LeftAsItIs()
    {
        using var origin = new ScriptedOrigin(r => Response(200, "OK", s_page, ("Content-Type", "text/html"),
            ("Cache-Control", r.Target == "/kept" ? "max-age=60, no-transform" : "max-age=60")));
        using var proxy = ProxyInstance.Start(origin.Port);

        var response = Get(proxy.Port, "/kept", "Accept-Encoding: gzip, br");
        var control = Get(proxy.Port, "/page", "Accept-Encoding: gzip, br");

        Assert.Null(response.Header("Content-Encoding"));
        Assert.Null(response.Header("Vary"));
        Assert.Equal(s_page, response.Body);
        Assert.Equal("br", control.Header("Content-Encoding"));
    }

    [Fact]
    public void Get_NoTransformFromClient_LeftAsItIs()
    {
        using var origin = new ScriptedOrigin(_ => Page());
        using var proxy = ProxyInstance.Start(origin.Port);

        var response = Get(proxy.Port, "/page", "Accept-Encoding: gzip, br", "Cache-Control: no-transform");
        var control = Get(proxy.Port, "/other", "Accept-Encoding: gzip, br");

        Assert.Null(response.Header("Content-Encoding"));
        Assert.Equal(s_page, response.Body);
        Assert.Equal("\"v1\"", response.Header("ETag"));
        Assert.Equal("br", control.Header("Content-Encoding"));
    }

    [Fact]
    public void Get_RangeRequest_RangeOfOriginBytesNotEncoded()
    {
        using var origin = new ScriptedOrigin(r => r.Header("Range") is null ? Page()
            : Response(206, "Partial Content", s_page[..10], ("Content-Type", "text/html"), ("Content-Range", $"bytes 0-9/{s_page.Length}")));
        using var proxy = ProxyInstance.Start(origin.Port);
        GetStored(proxy, "/page", "Accept-Encoding: gzip");

        var fromOrigin = Get(proxy.Port, "/other", "Accept-Encoding: gzip, br", "Range: bytes=0-9");
        var plain = GetStored(proxy, "/page");
        var fromCache = Get(proxy.Port, "/page", "Accept-Encoding: gzip, br", "Range: bytes=0-9");

        Assert.Equal("HTTP/1.1 206 Partial Content", fromOrigin.StartLine);
        Assert.Null(fromOrigin.Header("Content-Encoding"));
        Assert.Equal(s_page[..10], fromOrigin.Body);
        Assert.Null(plain.Header("Content-Encoding"));
        Assert.Equal("HTTP/1.1 206 Partial Content", fromCache.StartLine);
        Assert.Equal("HIT", fromCache.Header("X-Cache"));
        Assert.Null(fromCache.Header("Content-Encoding"));
        Assert.Equal(s_page[..10], fromCache.Body);
    }

    [Fact]
    public void Get_ChunkedBodyLargerThanBuffers_StreamsEncodedAndIsStored()
    {
        var big = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 40_000).Select(i => $"row {i}: some repeated text\n")));
        using var origin = new ScriptedOrigin(_ => new OriginResponse
        {
            Body = big,
            Chunked = true,
            Headers = [new("Content-Type", "application/json"), new("Cache-Control", "max-age=60")],
        });
        using var proxy = ProxyInstance.Start(origin.Port);

        var first = GetStored(proxy, "/big", "Accept-Encoding: gzip");
        var second = Get(proxy.Port, "/big", "Accept-Encoding: gzip");

        Assert.Equal("chunked", first.Header("Transfer-Encoding"));
        Assert.Equal("gzip", first.Header("Content-Encoding"));
        Assert.Equal(big, Decode("gzip", first.Body));
        Assert.Equal("HIT", second.Header("X-Cache"));
        Assert.Equal(first.Body, second.Body);
        Assert.Equal(1, origin.RequestCount);
    }

    [Theory]
    [InlineData("image/png", 4096)]
    [InlineData("text/plain", 512)]
    public void Get_TypeNotListedOrBodyUnderMinimum_SentAsItIs(string type, int size)
    {
        var body = new byte[size];
        using var origin = new ScriptedOrigin(r => r.Target == "/control"
            ? Response(200, "OK", new byte[4096], ("Content-Type", "text/plain"))
            : Response(200, "OK", body, ("Content-Type", type)));
        using var proxy = ProxyInstance.Start(origin.Port);

        var response = Get(proxy.Port, "/x", "Accept-Encoding: gzip, br");
        var control = Get(proxy.Port, "/control", "Accept-Encoding: gzip, br");

        Assert.Null(response.Header("Content-Encoding"));
        Assert.Null(response.Header("Vary"));
        Assert.Equal(body, response.Body);
        Assert.Equal("br", control.Header("Content-Encoding"));
    }

    [Fact]
    public void Get_AlreadyEncodedByOrigin_RelayedAsItIs()
    {
        byte[] gz = Encode(s_page);
        using var origin = new ScriptedOrigin(r => r.Target == "/control" ? Page()
            : Response(200, "OK", gz, ("Content-Type", "text/html"), ("Content-Encoding", "gzip"), ("ETag", "\"z\"")));
        using var proxy = ProxyInstance.Start(origin.Port);

        var response = Get(proxy.Port, "/x", "Accept-Encoding: br, gzip");
        var control = Get(proxy.Port, "/control", "Accept-Encoding: br, gzip");

        Assert.Equal("gzip", response.Header("Content-Encoding"));
        Assert.Equal("\"z\"", response.Header("ETag"));
        Assert.Null(response.Header("Vary"));
        Assert.Equal(gz, response.Body);
        Assert.Equal("br", control.Header("Content-Encoding"));
    }

    [Fact]
    public void Head_WithAcceptEncoding_NotEncoded()
    {
        using var origin = new ScriptedOrigin(_ => Page());
        using var proxy = ProxyInstance.Start(origin.Port);

        var head = Send(proxy.Port, "HEAD", "/page", "Accept-Encoding: gzip");
        var get = Get(proxy.Port, "/page", "Accept-Encoding: gzip");

        Assert.Null(head.Header("Content-Encoding"));
        Assert.Equal(s_page.Length.ToString(), head.Header("Content-Length"));
        Assert.Equal("gzip", get.Header("Content-Encoding"));
    }

    [Fact]
    public void Get_CompressionOff_SentAsItIs()
    {
        using var origin = new ScriptedOrigin(_ => Page());
        using var proxy = ProxyInstance.Start(o => o.Compression = false, origin.Port);
        using var control = ProxyInstance.Start(origin.Port);

        var response = Get(proxy.Port, "/page", "Accept-Encoding: gzip, br");

        Assert.Null(response.Header("Content-Encoding"));
        Assert.Null(response.Header("Vary"));
        Assert.Equal(s_page, response.Body);
        Assert.Equal("br", Get(control.Port, "/page", "Accept-Encoding: gzip, br").Header("Content-Encoding"));
    }

    [Fact]
    public void Get_StaleEncodedEntryRevalidatedWith304_StaysEncodedWeakAndVaried()
    {
        using var origin = new ScriptedOrigin(r => r.Header("If-None-Match") is null
            ? Response(200, "OK", s_page, ("Content-Type", "text/html"), ("Cache-Control", "no-cache"), ("ETag", "\"v1\""))
            : Response(304, "Not Modified", [], ("ETag", "\"v1\""), ("Cache-Control", "max-age=60")));
        using var proxy = ProxyInstance.Start(origin.Port);
        GetStored(proxy, "/page", "Accept-Encoding: gzip");

        var revalidated = Get(proxy.Port, "/page", "Accept-Encoding: gzip");
        var hit = Get(proxy.Port, "/page", "Accept-Encoding: gzip");
        var plain = Get(proxy.Port, "/page");

        Assert.Equal("W/\"v1\"", origin.Requests.ElementAt(1).Header("If-None-Match"));
        foreach (var response in new[] { revalidated, hit })
        {
            Assert.Equal("gzip", response.Header("Content-Encoding"));
            Assert.Equal("W/\"v1\"", response.Header("ETag"));
            Assert.Equal("Accept-Encoding", response.Header("Vary"));
            Assert.Equal(s_page, Decode("gzip", response.Body));
        }
        Assert.Equal("HIT", hit.Header("X-Cache"));
        Assert.Null(plain.Header("Content-Encoding"));
        Assert.Equal(s_page, plain.Body);
    }

    [Fact]
    public void Get_Http10ClientChunkedOrigin_EncodedBodyEndsWithTheConnection()
    {
        using var origin = new ScriptedOrigin(_ => new OriginResponse
        {
            Body = s_page,
            Chunked = true,
            Headers = [new("Content-Type", "text/html"), new("Cache-Control", "no-store")],
        });
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        client.Send("GET /page HTTP/1.0\r\nHost: h\r\nAccept-Encoding: gzip\r\nConnection: keep-alive\r\n\r\n");
        var head = client.Reader.ReadHead()!.Value;
        byte[] body = client.Reader.ReadToEnd();

        Assert.Equal("HTTP/1.1 200 OK", head.startLine);
        Assert.DoesNotContain(head.headers, h => h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
            || h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(new KeyValuePair<string, string>("Connection", "close"), head.headers);
        Assert.Contains(new KeyValuePair<string, string>("Content-Encoding", "gzip"), head.headers);
        Assert.Equal(s_page, Decode("gzip", body));
    }

    [Fact]
    public void Get_StaleWhileRevalidate_BackgroundRefreshStoresEncodedCopy()
    {
        int served = 0;
        using var origin = new ScriptedOrigin(_ => Interlocked.Increment(ref served) == 1
            ? Response(200, "OK", s_page, ("Content-Type", "text/html"), ("Cache-Control", "max-age=1, stale-while-revalidate=30"))
            : Response(200, "OK", [.. s_page, .. "<p>v2</p>"u8.ToArray()], ("Content-Type", "text/html"), ("Cache-Control", "max-age=60")));
        using var proxy = ProxyInstance.Start(origin.Port);
        GetStored(proxy, "/page", "Accept-Encoding: br");

        Assert.True(Poll.Until(() => Get(proxy.Port, "/page", "Accept-Encoding: br").Header("X-Cache") == "STALE"), "the entry never went stale");
        WireMessage? refreshed = null;
        bool gotNew = Poll.Until(() => (refreshed = Get(proxy.Port, "/page", "Accept-Encoding: br")).Header("X-Cache") == "HIT");

        Assert.True(gotNew, "the background refresh never landed");
        Assert.Equal("br", refreshed!.Header("Content-Encoding"));
        Assert.Equal("Accept-Encoding", refreshed.Header("Vary"));
        Assert.EndsWith("<p>v2</p>", Encoding.UTF8.GetString(Decode("br", refreshed.Body)));
        Assert.Equal(2, origin.RequestCount);
    }

    [Fact]
    public void Get_ClientGoneMidEncodedBody_NothingStoredAndNextClientGetsItWhole()
    {
        // Text that compresses poorly, so the encoded body outgrows what the sockets buffer.
        var random = new Random(7);
        byte[] raw = new byte[18 * 1024 * 1024];
        random.NextBytes(raw);
        byte[] text = Encoding.ASCII.GetBytes(Convert.ToBase64String(raw));
        using var origin = new ScriptedOrigin(_ => new OriginResponse
        {
            Body = text,
            Headers = [new("Content-Type", "text/plain"), new("Cache-Control", "max-age=60")],
        });
        // Room for two copies: the abandoned relay may still hold its copy while the next one grows.
        using var proxy = ProxyInstance.Start(o => (o.MaxEntrySize, o.MaxCaptureMemory) = (64L * 1024 * 1024, 128L * 1024 * 1024), origin.Port);
        var cache = proxy.Server.Cache!;

        using (var gone = new RawClient(proxy.Port))
        {
            gone.Send("GET /big HTTP/1.1\r\nHost: h\r\nAccept-Encoding: gzip\r\n\r\n");
            Assert.Equal("HTTP/1.1 200 OK", gone.Reader.ReadHead()!.Value.startLine);
        }
        var whole = GetStored(proxy, "/big", "Accept-Encoding: gzip");

        Assert.Equal(1, cache.Counters().Stores);
        Assert.Equal("MISS", whole.Header("X-Cache"));
        Assert.Equal("gzip", whole.Header("Content-Encoding"));
        Assert.Equal(text, Decode("gzip", whole.Body));
        Assert.Equal(2, origin.RequestCount);
    }

    private static byte[] Decode(string coding, byte[] body)
    {
        using var input = new MemoryStream(body);
        using Stream decoder = coding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] Encode(byte[] body)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(body);
        }
        return output.ToArray();
    }
}
