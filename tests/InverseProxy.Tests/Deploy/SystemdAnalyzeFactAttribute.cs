namespace InverseProxy.Tests.Deploy;

/// <summary>A fact skipped, with the reason, where systemd-analyze is not installed.</summary>
internal sealed class SystemdAnalyzeFactAttribute : FactAttribute
{
    public SystemdAnalyzeFactAttribute()
    {
        if (Bash.Which("systemd-analyze") is null)
        {
            Skip = "systemd-analyze is not installed (apt-get install -y systemd); the unit's exposure score is not checked";
        }
    }
}
