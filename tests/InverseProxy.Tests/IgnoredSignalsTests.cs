using System.Diagnostics;

namespace InverseProxy.Tests;

public sealed class IgnoredSignalsTests
{
    [Theory]
    [InlineData("0000000000000001", true)]
    [InlineData("0000000001001001", true)]
    [InlineData("0000000000001000", false)]
    [InlineData("0000000000000000", false)]
    [InlineData("not hex", false)]
    public void MaskHas_Sighup_ReadsBitZero(string mask, bool expected)
    {
        Assert.Equal(expected, IgnoredSignals.MaskHas(mask, IgnoredSignals.SigHup));
    }

    [Theory]
    [InlineData("nohup", true)]
    [InlineData("env", false)]
    public void IsIgnored_ProcessStartedUnder_ReportsSighupDisposition(string launcher, bool expected)
    {
        var info = new ProcessStartInfo(launcher) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("sleep");
        info.ArgumentList.Add("30");
        using var process = Process.Start(info)!;
        try
        {
            // nohup and env exec sleep in place; poll until the pid shows sleep so the mask is sleep's.
            var status = $"/proc/{process.Id}/status";
            Assert.True(SpinWait.SpinUntil(() => File.ReadLines(status).First() == "Name:\tsleep", TimeSpan.FromSeconds(10)));

            Assert.Equal(expected, IgnoredSignals.IsIgnored(status, IgnoredSignals.SigHup));
        }
        finally
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    [Fact]
    public void IsIgnored_NoStatusFile_False()
    {
        Assert.False(IgnoredSignals.IsIgnored("/proc/0/no-such-file", IgnoredSignals.SigHup));
    }
}
