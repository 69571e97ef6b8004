namespace InverseProxy;

/// <summary>A reason the proxy cannot start, worded for the operator (names the key and what is wrong).</summary>
internal sealed class StartupException : Exception
{
    public StartupException(string message)
        : base(message)
    {
    }
}
