using System.Diagnostics;
using MRISpineSeg.Infra.Tests.Support;

namespace MRISpineSeg.Infra.Tests.Docker;

/// <summary>
/// Publishes the worker the way both Dockerfiles do (linux-x64, framework-dependent), once per
/// <c>WorkerInferenceDevice</c>, and checks which ONNX Runtime each one ships: the CUDA publish must carry the CUDA
/// provider (otherwise a GPU node silently runs on CPU), the CPU publish must not carry its 284 MB. The sources are
/// copied to a scratch folder first, so the CUDA restore never touches this checkout's obj/ folders.
/// </summary>
public sealed class WorkerPublishTests : IClassFixture<WorkerPublishTests.Publishes>
{
    private readonly Publishes _publishes;

    public WorkerPublishTests(Publishes publishes) => _publishes = publishes;

    [Fact]
    public void CudaPublishShouldShipTheCudaProviderAndTheManagedApiOfTheSameRelease()
    {
        var dir = _publishes.Cuda;

        Assert.True(File.Exists(Path.Combine(dir, "libonnxruntime_providers_cuda.so")), $"{dir} has no libonnxruntime_providers_cuda.so");
        Assert.True(File.Exists(Path.Combine(dir, "libonnxruntime_providers_shared.so")), $"{dir} has no libonnxruntime_providers_shared.so");
        Assert.True(File.Exists(Path.Combine(dir, "libonnxruntime.so")));
        Assert.StartsWith("1.31.0", ManagedVersion(dir), StringComparison.Ordinal);
    }

    [Fact]
    public void CpuPublishShouldShipTheCpuRuntimeWithoutTheCudaProvider()
    {
        var dir = _publishes.Cpu;

        Assert.True(File.Exists(Path.Combine(dir, "libonnxruntime.so")), $"{dir} has no libonnxruntime.so");
        Assert.False(File.Exists(Path.Combine(dir, "libonnxruntime_providers_cuda.so")), "the CPU worker must not ship the CUDA provider");
        Assert.StartsWith("1.31.1", ManagedVersion(dir), StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownDeviceShouldBeRefusedNamingTheValidOnes()
    {
        var result = _publishes.Restore("rocm");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("WorkerInferenceDevice is 'rocm'; it must be cpu (the default) or cuda", result.Combined, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("cuda")]
    public void WorkerConfiguredForCudaWithoutAGpuShouldExitNonZeroAtStartNamingWhatIsMissing(string build)
    {
        var result = _publishes.StartWorker(build, "Cuda");

        Console.WriteLine($"{build} worker, ModelDevice=Cuda: exit {result.ExitCode}\n{result.StandardError}");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("MRISpineSeg.Worker: configuration error:", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("CUDA was required but cannot be used", result.StandardError, StringComparison.Ordinal);
        if (build == "cpu")
        {
            Assert.Contains("this ONNX Runtime has no CUDA provider", result.StandardError, StringComparison.Ordinal);
        }
        else
        {
            // The provider is there; what this machine lacks is named instead (no GPU machine runs these tests).
            Assert.DoesNotContain("this ONNX Runtime has no CUDA provider", result.StandardError, StringComparison.Ordinal);
            if (!File.Exists("/dev/nvidiactl")) Assert.Contains("no NVIDIA device node", result.StandardError, StringComparison.Ordinal);
        }
    }

    private static string ManagedVersion(string dir)
    {
        var path = Path.Combine(dir, "Microsoft.ML.OnnxRuntime.dll");
        Assert.True(File.Exists(path), $"{dir} has no Microsoft.ML.OnnxRuntime.dll");
        return FileVersionInfo.GetVersionInfo(path).ProductVersion ?? string.Empty;
    }

    /// <summary>Both publishes, made once for the class in a scratch copy of the sources.</summary>
    public sealed class Publishes : IDisposable
    {
        private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(8);
        private readonly string _root = Path.Combine(Path.GetTempPath(), "spineseg-publish-" + Guid.NewGuid().ToString("N")[..8]);

        public Publishes()
        {
            CopySources();
            Cpu = Publish("cpu");
            Cuda = Publish("cuda");
        }

        public string Cpu { get; }

        public string Cuda { get; }

        public ProcessResult Restore(string device)
            => ProcessRunner.Run("dotnet", ["restore", Project, "-r", "linux-x64", $"-p:WorkerInferenceDevice={device}"], _root, Deadline);

        /// <summary>Starts the published worker on the committed demo model with fake (unreachable) storage and Service Bus settings.</summary>
        public ProcessResult StartWorker(string build, string device)
            => ProcessRunner.Run(
                "dotnet",
                [Path.Combine(build == "cuda" ? Cuda : Cpu, "MRISpineSeg.Worker.dll")],
                _root,
                TimeSpan.FromMinutes(2),
                new Dictionary<string, string>
                {
                    ["Storage__connectionString"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;",
                    ["ServiceBus__connectionString"] = "Endpoint=sb://127.0.0.1:9/;SharedAccessKeyName=k;SharedAccessKey=a2V5",
                    ["ModelPath"] = RepositoryRoot.Combine("local", "models", "spineseg-demo.onnx"),
                    ["ModelDevice"] = device,
                    ["IdleExitSeconds"] = "1",
                });

        public void Dispose()
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // A scratch folder left in /tmp is harmless.
            }
        }

        private string Project => Path.Combine(_root, "src", "MRISpineSeg.Worker", "MRISpineSeg.Worker.csproj");

        private string Publish(string device)
        {
            var output = Path.Combine(_root, "publish-" + device);
            var result = ProcessRunner.Run(
                "dotnet",
                ["publish", Project, "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-p:UseAppHost=false", $"-p:WorkerInferenceDevice={device}", "-o", output],
                _root,
                Deadline);
            Assert.True(result.ExitCode == 0, $"dotnet publish ({device}) failed:\n{result.Combined}");
            return output;
        }

        private void CopySources()
        {
            var repo = RepositoryRoot.Combine();
            Directory.CreateDirectory(_root);
            foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "nuget.config", "NuGet.Config" })
            {
                var source = Path.Combine(repo, file);
                if (File.Exists(source)) File.Copy(source, Path.Combine(_root, file));
            }

            var src = Path.Combine(repo, "src");
            foreach (var file in Directory.EnumerateFiles(src, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(src, file);
                var parts = relative.Split(Path.DirectorySeparatorChar);
                if (parts.Contains("bin") || parts.Contains("obj")) continue;
                var target = Path.Combine(_root, "src", relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }
    }
}
