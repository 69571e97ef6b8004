using System.Text.Json;
using InverseProxy.Tls;

namespace InverseProxy.Admin;

/// <summary>The TLS port's handshakes, read once for one stats report.</summary>
internal sealed record TlsFigures(long Tls12, long Tls13, long TimedOut, long Failed)
{
    public static TlsFigures From(TlsCounters counters) =>
        new(counters.Tls12, counters.Tls13, counters.TimedOutCount, counters.RefusedCount);

    /// <summary><c>"tls": {"handshakes": {"TLSv1.2": n, "TLSv1.3": n}, "handshake_timeouts": n, "handshake_failures": n}</c></summary>
    public void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject("tls");
        json.WriteStartObject("handshakes");
        json.WriteNumber("TLSv1.2", Tls12);
        json.WriteNumber("TLSv1.3", Tls13);
        json.WriteEndObject();
        json.WriteNumber("handshake_timeouts", TimedOut);
        json.WriteNumber("handshake_failures", Failed);
        json.WriteEndObject();
    }
}
