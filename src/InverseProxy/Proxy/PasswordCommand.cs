namespace InverseProxy.Proxy;

/// <summary><c>InverseProxy --hash-password USER</c>: reads the password from standard input, prints the line for proxy_auth_users.</summary>
internal static class PasswordCommand
{
    public static int Run(string user, TextReader input, TextWriter output, TextWriter errors)
    {
        if (user.Length == 0 || user.Contains(':', StringComparison.Ordinal) || user.Any(char.IsControl))
        {
            errors.WriteLine("inverseproxy: --hash-password: the user name must be non-empty, without ':' or control characters");
            return 2;
        }
        string? password = input.ReadLine();
        if (string.IsNullOrEmpty(password))
        {
            errors.WriteLine("inverseproxy: --hash-password: no password on standard input");
            return 2;
        }
        output.WriteLine($"{user}:{PasswordHash.Create(password)}");
        return 0;
    }
}
