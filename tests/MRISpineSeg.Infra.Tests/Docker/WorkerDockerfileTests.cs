using System.Text.RegularExpressions;
using MRISpineSeg.Infra.Tests.Support;

namespace MRISpineSeg.Infra.Tests.Docker;

/// <summary>
/// Structure of the worker images (Docker cannot run here): a multi-stage build with the .NET 10 SDK that publishes
/// the Worker project, a CUDA 13 + cuDNN 9 runtime (GPU) or plain .NET runtime (CPU) final stage, a non-root user,
/// the model baked in or fetched by identity, and an exec-form entrypoint.
/// </summary>
public sealed partial class WorkerDockerfileTests
{
    private static readonly string GpuPath = RepositoryRoot.Combine("src", "MRISpineSeg.Worker", "Dockerfile");
    private static readonly string CpuPath = RepositoryRoot.Combine("src", "MRISpineSeg.Worker", "Dockerfile.cpu");

    public static TheoryData<string> Both => new() { GpuPath, CpuPath };

    [Fact]
    public void GpuImageShouldRunOnCuda13WithCudnn9AndCopyInTheDotnet10Runtime()
    {
        var dockerfile = Dockerfile.Parse(File.ReadAllText(GpuPath));

        Assert.Matches(CudaRuntimeImage(), dockerfile.Final.BaseImage);
        Assert.Contains(dockerfile.Stages, s => s.BaseImage.StartsWith("mcr.microsoft.com/dotnet/runtime:10.0", StringComparison.Ordinal) && s.Name == "dotnet");
        Assert.Contains(dockerfile.Final.Of("COPY"), c => c.Arguments.Contains("--from=dotnet /usr/share/dotnet", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Dockerfile", "cuda")]
    [InlineData("Dockerfile.cpu", "cpu")]
    public void ImageShouldRestoreAndPublishTheWorkerForItsInferenceDevice(string file, string device)
    {
        var build = Dockerfile.Parse(File.ReadAllText(RepositoryRoot.Combine("src", "MRISpineSeg.Worker", file))).Stage("build");

        Assert.Contains(build.Of("ARG"), a => a.Arguments == $"INFERENCE_DEVICE={device}");
        var runs = build.Of("RUN").Select(r => r.Arguments).ToList();
        Assert.Contains(runs, r => r.Contains("dotnet restore", StringComparison.Ordinal) && r.Contains("-p:WorkerInferenceDevice=${INFERENCE_DEVICE}", StringComparison.Ordinal));
        Assert.Contains(runs, r => r.Contains("dotnet publish", StringComparison.Ordinal) && r.Contains("-p:WorkerInferenceDevice=${INFERENCE_DEVICE}", StringComparison.Ordinal));
    }

    [Fact]
    public void CpuImageShouldRunOnTheDotnet10RuntimeImage()
    {
        var dockerfile = Dockerfile.Parse(File.ReadAllText(CpuPath));

        Assert.StartsWith("mcr.microsoft.com/dotnet/runtime:10.0", dockerfile.Final.BaseImage, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Both))]
    public void ImageShouldBuildTheWorkerWithTheDotnet10SdkInAnEarlierStage(string path)
    {
        var dockerfile = Dockerfile.Parse(File.ReadAllText(path));
        var build = dockerfile.Stage("build");

        Assert.True(dockerfile.Stages.Count >= 2);
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", build.BaseImage, StringComparison.Ordinal);
        Assert.Contains(build.Of("RUN"), r => r.Arguments.Contains("dotnet publish src/MRISpineSeg.Worker/MRISpineSeg.Worker.csproj", StringComparison.Ordinal));
        Assert.Contains(dockerfile.Final.Of("COPY"), c => c.Arguments.StartsWith("--from=build", StringComparison.Ordinal));
        Assert.DoesNotContain(dockerfile.Final.BaseImage, "sdk", StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Both))]
    public void ImageShouldRunAsANonRootUserSetAfterTheLastRootStep(string path)
    {
        var final = Dockerfile.Parse(File.ReadAllText(path)).Final;
        var users = final.Of("USER").ToList();

        Assert.NotEmpty(users);
        var user = users[^1];
        var name = user.Arguments.Split(':')[0];
        Assert.NotEqual("root", name);
        Assert.NotEqual("0", name);
        Assert.True(final.Instructions.Where(i => i.Keyword is "RUN" or "COPY").All(i => i.Line < user.Line),
            "USER must come after every RUN and COPY so nothing later runs as root");
    }

    [Theory]
    [MemberData(nameof(Both))]
    public void ImageShouldStartTheWorkerAssemblyWithAnExecFormEntrypoint(string path)
    {
        var final = Dockerfile.Parse(File.ReadAllText(path)).Final;

        Assert.Equal("[\"dotnet\", \"/app/MRISpineSeg.Worker.dll\"]", Assert.Single(final.Of("ENTRYPOINT")).Arguments);
    }

    [Theory]
    [MemberData(nameof(Both))]
    public void ImageShouldBakeTheModelOrLeaveItToTheModelsContainerByBuildArgument(string path)
    {
        var final = Dockerfile.Parse(File.ReadAllText(path)).Final;

        Assert.Contains(final.Of("ARG"), a => a.Arguments == "MODEL_SOURCE=baked");
        Assert.Contains(final.Of("COPY"), c => c.Arguments.Contains("local/models/ /app/models/", StringComparison.Ordinal));
        // The setting names the worker reads (Pipeline.Hosting.ModelLocation): it finds the baked model in ModelDirectory.
        Assert.Contains(final.Of("ENV"), e => e.Arguments.Contains("ModelSource=${MODEL_SOURCE}", StringComparison.Ordinal));
        Assert.Contains(final.Of("ENV"), e => e.Arguments.Contains("ModelDirectory=/app/models", StringComparison.Ordinal));
        var check = Assert.Single(final.Of("RUN"), r => r.Arguments.Contains("MODEL_SOURCE", StringComparison.Ordinal));
        Assert.Contains("/app/models/*.onnx", check.Arguments, StringComparison.Ordinal);
        Assert.Contains("exit 1", check.Arguments, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Both))]
    public void ImageShouldLetMallocUseHugePagesForInference(string path)
    {
        var final = Dockerfile.Parse(File.ReadAllText(path)).Final;

        Assert.Contains(final.Of("ENV"), e => e.Arguments.Contains("GLIBC_TUNABLES=glibc.malloc.hugetlb=1", StringComparison.Ordinal));
    }

    [Fact]
    public void ParserShouldSubstituteGlobalArgsAndJoinContinuations()
    {
        var dockerfile = Dockerfile.Parse("""
            # comment
            ARG BASE=example/base:1
            FROM ${BASE} AS one
            RUN echo a \
                && echo b
            FROM one
            USER app
            """);

        Assert.Equal("example/base:1", dockerfile.Stages[0].BaseImage);
        Assert.Equal("one", dockerfile.Stages[0].Name);
        Assert.Equal("echo a && echo b", Assert.Single(dockerfile.Stages[0].Of("RUN")).Arguments);
        Assert.Equal("one", dockerfile.Final.BaseImage);
    }

    [GeneratedRegex(@"^nvidia/cuda:13\.\d+\.\d+-cudnn-runtime-ubuntu24\.04$")]
    private static partial Regex CudaRuntimeImage();
}
