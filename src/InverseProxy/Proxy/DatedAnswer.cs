using InverseProxy.Http;

namespace InverseProxy.Proxy;

/// <summary>
/// A complete close-delimited answer sent without a session (503 at the connection limit, or with no thread for the
/// connection), carrying Date as every response from a server with a clock must (RFC 9110 §6.6.1). Its bytes are
/// made again at most once a second, so a flood of refusals costs no more than a fixed answer did.
/// </summary>
internal sealed class DatedAnswer
{
    private readonly int _status;
    private readonly string _text;
    private readonly ResponseDate _date;
    private Made _current = new("", []); // replaced whole; Volatile

    public DatedAnswer(int status, string text, ResponseDate date)
    {
        _status = status;
        _text = text;
        _date = date;
    }

    /// <summary>The answer for the current second.</summary>
    public byte[] Bytes
    {
        get
        {
            string now = _date.Now;
            var made = Volatile.Read(ref _current);
            if (!ReferenceEquals(made.Date, now))
            {
                made = new Made(now, LocalResponse.Raw(_status, _text, now));
                Volatile.Write(ref _current, made);
            }
            return made.Bytes;
        }
    }

    private sealed record Made(string Date, byte[] Bytes);
}
