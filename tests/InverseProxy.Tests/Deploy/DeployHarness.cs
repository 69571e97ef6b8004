using InverseProxy.Tests.TestSupport;

namespace InverseProxy.Tests.Deploy;

/// <summary>
/// Runs deploy-ec2.sh with stub aws, ssh, scp and dotnet first on PATH. Every stub appends
/// "name argv..." to one calls file, so the order across programs is visible.
/// </summary>
internal sealed class DeployHarness : IDisposable
{
    public const string AmiId = "ami-0abc1234def567890";
    public const string CreatedGroupId = "sg-0feedfacecafe0001";
    public const string InstanceId = "i-0123456789abcdef0";
    public const string PublicDns = "ec2-203-0-113-10.eu-west-1.compute.amazonaws.com";

    private const string AwsStub = """
        #!/usr/bin/env bash
        printf 'aws %s\n' "$*" >>"$STUB_CALLS"
        case "$*" in
            *"ssm get-parameter"*) echo ami-0abc1234def567890 ;;
            *"create-security-group"*) echo sg-0feedfacecafe0001 ;;
            *"authorize-security-group-ingress"*) echo '{ "Return": true }' ;;
            *"run-instances"*)
                n=1 prev=""
                for arg in "$@"; do [[ "$prev" == --count ]] && n="$arg"; prev="$arg"; done
                for ((i = 0; i < n; i++)); do printf 'i-0123456789abcdef%d\t' "$i"; done
                echo ;;
            *"describe-instances"*)
                # Instance i-...N has public name ec2-203-0-113-1N..., address 203.0.113.1N and private 10.0.0.1N.
                all="$*" d="${all##*--instance-ids i-0123456789abcdef}" d="${d%% *}"
                printf 'ec2-203-0-113-1%s.eu-west-1.compute.amazonaws.com\t203.0.113.1%s\t10.0.0.1%s\n' "$d" "$d" "$d" ;;
        esac
        """;

    private const string SshStub = """
        #!/usr/bin/env bash
        printf 'ssh %s\n' "$*" >>"$STUB_CALLS"
        """;

    // A download (remote source, local destination) leaves a file behind, as scp would.
    private const string ScpStub = """
        #!/usr/bin/env bash
        printf 'scp %s\n' "$*" >>"$STUB_CALLS"
        dest="${!#}"
        if [[ "$dest" != *:* ]]; then
            echo cached-responses >"$dest"
            printf 'scp-mode %s\n' "$(stat -c %a "$dest")" >>"$STUB_CALLS"
        fi
        """;

    private const string DotnetStub = """
        #!/usr/bin/env bash
        printf 'dotnet %s\n' "$*" >>"$STUB_CALLS"
        while [[ $# -gt 0 ]]; do
            if [[ "$1" == -o ]]; then
                mkdir -p "$2"
                printf '#!/bin/sh\nexit 0\n' >"$2/InverseProxy"
                chmod +x "$2/InverseProxy"
            fi
            shift
        done
        """;

    private readonly TempDirectory _dir = new();

    public DeployHarness()
    {
        _dir.WriteFile("bin/aws", AwsStub, executable: true);
        _dir.WriteFile("bin/ssh", SshStub, executable: true);
        _dir.WriteFile("bin/scp", ScpStub, executable: true);
        _dir.WriteFile("bin/dotnet", DotnetStub, executable: true);
        _dir.WriteFile("work/proxy.conf", "# test\nport = 9090\ntargets = 127.0.0.1:3000\n");
        _dir.WriteFile("prebuilt/InverseProxy", "#!/bin/sh\n", executable: true);
    }

    /// <summary>The folder scripts run in; it holds the default ./proxy.conf.</summary>
    public string WorkDirectory => _dir.Combine("work");

    /// <summary>A ready release folder for --bundle.</summary>
    public string PrebuiltBundle => _dir.Combine("prebuilt");

    public string WriteFile(string relativePath, string contents) => _dir.WriteFile(relativePath, contents);

    public ScriptResult Run(params string[] args) => RunWithEnvironment(new Dictionary<string, string>(), args);

    public ScriptResult RunWithEnvironment(IReadOnlyDictionary<string, string> extra, params string[] args)
    {
        var environment = new Dictionary<string, string>(extra)
        {
            ["PATH"] = _dir.Combine("bin") + ":" + Environment.GetEnvironmentVariable("PATH"),
            ["STUB_CALLS"] = _dir.Combine("calls.log"),
        };
        return Bash.Run(RepoRoot.File("deploy-ec2.sh"), args, WorkDirectory, environment);
    }

    /// <summary>Every stub invocation so far, in order, as "program arg arg ...".</summary>
    public IReadOnlyList<string> Calls()
    {
        var path = _dir.Combine("calls.log");
        return File.Exists(path) ? File.ReadAllLines(path) : [];
    }

    public IReadOnlyList<string> Calls(string program) =>
        Calls().Where(line => line.StartsWith(program + " ", StringComparison.Ordinal)).ToList();

    public void Dispose() => _dir.Dispose();
}
