using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace InverseProxy.Proxy;

/// <summary>
/// The users of one proxy_auth_users file as loaded for one configuration snapshot, and the credentials verified
/// under it. A verified Proxy-Authorization value is remembered for <see cref="RememberFor"/> (at most
/// <see cref="MaxRemembered"/> of them, by a SHA-256 of the value, never the value itself), so PBKDF2 runs once per
/// client and password, not per request. A reload loads the file again and forgets what was remembered.
/// </summary>
internal sealed class ProxyUsers
{
    public const int MaxRemembered = 1000;
    public static readonly TimeSpan RememberFor = TimeSpan.FromMinutes(5);

    // Compared against for an unknown user, so a wrong name costs as much as a wrong password.
    private static readonly (int Iterations, byte[] Salt, byte[] Hash) s_decoy = (PasswordHash.Iterations, new byte[16], new byte[32]);

    private readonly Dictionary<string, (int Iterations, byte[] Salt, byte[] Hash)> _users;
    private readonly ConcurrentDictionary<string, long> _remembered = new(StringComparer.Ordinal); // expiry, TimeProvider timestamp
    private readonly ConcurrentDictionary<string, Lazy<(bool, string?)>> _inFlight = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    private ProxyUsers(Dictionary<string, (int, byte[], byte[])> users, TimeProvider time)
    {
        _users = users;
        _time = time;
    }

    public int Count => _users.Count;

    /// <summary>Reads <paramref name="path"/>; lines that are empty, comments (#) or malformed are skipped. A missing file has no users.</summary>
    public static ProxyUsers Load(string path, TimeProvider time)
    {
        var users = new Dictionary<string, (int, byte[], byte[])>(StringComparer.Ordinal);
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            lines = [];
        }
        foreach (string raw in lines)
        {
            string line = raw.Trim();
            int colon = line.IndexOf(':');
            if (line.Length == 0 || line[0] == '#' || colon <= 0)
            {
                continue;
            }
            if (PasswordHash.TryParse(line[(colon + 1)..], out int iterations, out byte[] salt, out byte[] hash))
            {
                users[line[..colon]] = (iterations, salt, hash);
            }
        }
        return new ProxyUsers(users, time);
    }

    /// <summary>
    /// Whether <paramref name="header"/> (a Proxy-Authorization value) holds valid Basic credentials (RFC 7617).
    /// <paramref name="user"/> is the name it carried, for the log; never the password.
    /// </summary>
    public bool Verify(string? header, out string? user)
    {
        user = null;
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        string key = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(header)));
        long now = _time.GetTimestamp();
        if (_remembered.TryGetValue(key, out long expires) && now < expires)
        {
            return true;
        }
        // Clients opening many connections at once send the same header on each: one PBKDF2 serves them all.
        var verification = _inFlight.GetOrAdd(key, _ => new Lazy<(bool, string?)>(() => Check(header)));
        bool verified;
        (verified, user) = verification.Value;
        _inFlight.TryRemove(KeyValuePair.Create(key, verification));
        if (!verified)
        {
            return false;
        }
        if (_remembered.Count >= MaxRemembered)
        {
            _remembered.Clear();
        }
        _remembered[key] = now + (long)(RememberFor.TotalSeconds * _time.TimestampFrequency);
        return true;
    }

    private (bool Verified, string? User) Check(string header)
    {
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
        }
        catch (FormatException)
        {
            return (false, null);
        }
        int colon = decoded.IndexOf(':');
        if (colon <= 0)
        {
            return (false, null);
        }
        string user = decoded[..colon];
        bool known = _users.TryGetValue(user, out var entry);
        bool matches = PasswordHash.Verify(decoded[(colon + 1)..], known ? entry.Iterations : s_decoy.Iterations, known ? entry.Salt : s_decoy.Salt, known ? entry.Hash : s_decoy.Hash);
        return (known && matches, user);
    }
}
