namespace InverseProxy.Http;

/// <summary>
/// Walks the elements of a comma-separated field value (RFC 9110 §5.6.1), trimming OWS and skipping empty
/// elements, without allocating. Quoted strings are not special: the fields split this way (Connection,
/// Transfer-Encoding, Content-Length) hold tokens only.
/// </summary>
internal ref struct HttpListElements
{
    private ReadOnlySpan<char> _rest;
    private bool _done;

    public HttpListElements(ReadOnlySpan<char> value)
    {
        _rest = value;
        _done = false;
        Current = default;
    }

    public ReadOnlySpan<char> Current { get; private set; }

    public readonly HttpListElements GetEnumerator() => this;

    public bool MoveNext()
    {
        while (!_done)
        {
            int comma = _rest.IndexOf(',');
            ReadOnlySpan<char> element;
            if (comma < 0)
            {
                element = _rest;
                _done = true;
            }
            else
            {
                element = _rest[..comma];
                _rest = _rest[(comma + 1)..];
            }
            element = element.Trim(" \t");
            if (!element.IsEmpty)
            {
                Current = element;
                return true;
            }
        }
        return false;
    }

    /// <summary>True if any element of <paramref name="value"/> equals <paramref name="token"/>, ignoring case.</summary>
    public static bool Contains(string value, ReadOnlySpan<char> token)
    {
        foreach (var element in new HttpListElements(value))
        {
            if (element.Equals(token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
