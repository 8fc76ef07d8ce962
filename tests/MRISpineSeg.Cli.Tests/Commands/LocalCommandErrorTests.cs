namespace MRISpineSeg.Cli.Tests.Commands;

/// <summary>Issue 13 (minor): <c>local</c> verbs with a garbage connection or storage that is down give one line and exit 1, not an internal error.</summary>
public sealed class LocalCommandErrorTests
{
    private const string Down = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;";

    [Theory]
    [InlineData("init")]
    [InlineData("wait")]
    [InlineData("download")]
    public void AGarbageConnectionStringShouldBeOneLineNamingWhatWouldWork(string verb)
    {
        var (code, _, err) = CliRunner.Run(Args(verb, "not a connection string"));
        Assert.Equal(1, code);
        Assert.StartsWith("spineseg: error: the storage connection string is not valid", err);
        Assert.Contains("UseDevelopmentStorage=true", err);
        Assert.Single(err.TrimEnd().Split('\n'));
    }

    [Fact]
    public void StorageThatIsDownShouldBeOneLineNamingTheEndpoint()
    {
        var (code, _, err) = CliRunner.Run(Args("init", Down));
        Assert.Equal(1, code);
        Assert.StartsWith("spineseg: error: ", err);
        Assert.Contains("could not be reached", err);
        Assert.Contains("127.0.0.1:1", err);
        Assert.DoesNotContain("internal error", err);
    }

    [Theory]
    [InlineData("azure")]
    [InlineData("")]
    public void AnUnknownTelemetryExporterShouldBeAPlainUsageErrorNamingTheChoices(string value)
    {
        var (code, _, err) = CliRunner.Run("local", "up", "--model", typeof(LocalCommandErrorTests).Assembly.Location, "--telemetry", value, "--connection", Down);

        Assert.Equal(2, code);
        Assert.Contains($"--telemetry: \"{value}\" is not an exporter; use one of none, console, otlp", err, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", err, StringComparison.Ordinal);
    }

    private static string[] Args(string verb, string connection) => verb switch
    {
        "init" => ["local", "init", "--connection", connection],
        "wait" => ["local", "wait", "masks", "Case1.nii.gz", "--timeout", "1", "--connection", connection],
        _ => ["local", "download", "masks", Path.Combine(Path.GetTempPath(), "spineseg-never"), "--connection", connection],
    };
}
