using System.Net;

namespace InverseProxy.Proxy.Policy;

/// <summary>
/// The domains of a <c>deny_hosts_file</c>. A host is in the set when it, or any parent suffix of it, is listed:
/// one hash lookup per label, whatever the size of the list. Immutable once loaded; a reload loads the file again.
/// </summary>
internal sealed class DomainSet
{
    // Names hosts files list for the machine itself; blocking them would block nothing useful and surprise everyone.
    private static readonly HashSet<string> s_localNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "localhost", "localhost.localdomain", "local", "broadcasthost", "ip6-localhost", "ip6-loopback",
    };

    private readonly HashSet<string> _domains;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    private DomainSet(HashSet<string> domains)
    {
        _domains = domains;
        _lookup = domains.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _domains.Count;

    /// <summary>
    /// Reads <paramref name="path"/>: one domain a line, or hosts-file lines (<c>0.0.0.0 ads.example</c>, several
    /// names allowed); text after # is a comment; a leading <c>*.</c> or <c>.</c> and a trailing dot are dropped.
    /// </summary>
    public static DomainSet Load(string path)
    {
        // About 20 bytes a line: sized once rather than grown and rehashed many times.
        var domains = new HashSet<string>((int)Math.Min(new FileInfo(path).Length / 20, 10_000_000), StringComparer.OrdinalIgnoreCase);
        foreach (string line in File.ReadLines(path))
        {
            AddLine(domains, line);
        }
        return new DomainSet(domains);
    }

    public static DomainSet Parse(IEnumerable<string> lines)
    {
        var domains = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines)
        {
            AddLine(domains, line);
        }
        return new DomainSet(domains);
    }

    /// <summary>Whether <paramref name="host"/> or one of its parent domains is listed. Allocates nothing.</summary>
    public bool Contains(ReadOnlySpan<char> host)
    {
        host = host.TrimEnd('.');
        while (!host.IsEmpty)
        {
            if (_lookup.Contains(host))
            {
                return true;
            }
            int dot = host.IndexOf('.');
            if (dot < 0)
            {
                return false;
            }
            host = host[(dot + 1)..];
        }
        return false;
    }

    private static void AddLine(HashSet<string> domains, string line)
    {
        ReadOnlySpan<char> text = line;
        int hash = text.IndexOf('#');
        if (hash >= 0)
        {
            text = text[..hash];
        }
        bool first = true;
        foreach (var range in text.SplitAny(" \t"))
        {
            var word = text[range];
            if (word.IsEmpty)
            {
                continue;
            }
            // A hosts-file line starts with an address; the names follow it.
            bool isAddress = first && LooksLikeAddress(word) && IPAddress.TryParse(word, out _);
            first = false;
            if (!isAddress)
            {
                AddName(domains, word);
            }
        }
    }

    // An address starts with a digit or holds a ':'; most names do neither and skip the address parser.
    private static bool LooksLikeAddress(ReadOnlySpan<char> word) => char.IsAsciiDigit(word[0]) || word.Contains(':');

    private static void AddName(HashSet<string> domains, ReadOnlySpan<char> name)
    {
        if (name.StartsWith("*."))
        {
            name = name[2..];
        }
        name = name.Trim('.');
        if (name.IsEmpty || (LooksLikeAddress(name) && IPAddress.TryParse(name, out _)))
        {
            return;
        }
        if (!s_localNames.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name))
        {
            domains.GetAlternateLookup<ReadOnlySpan<char>>().Add(name);
        }
    }
}
