using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Pipeline.Queues;
using MRISpineSeg.Pipeline.Jobs;
using MRISpineSeg.Pipeline.Outcomes;
using MRISpineSeg.Pipeline.Ports;
using MRISpineSeg.Pipeline.Storage;

namespace MRISpineSeg.Pipeline.Tests.Hosting;

/// <summary>Each host registers only what it runs: the Functions app no model, the worker no upload check and no scorer.</summary>
public sealed class HostRegistrationTests
{
    private static readonly IConfiguration Dev = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true", ["ModelPath"] = "/nowhere/model.onnx" })
        .Build();

    private static HashSet<Type> Registered(IServiceCollection services) => services.Select(d => d.ServiceType).ToHashSet();

    [Fact]
    public void TheFunctionsAppShouldHaveTheUploadCheckAndScoringButNoModelAndNoWorker()
    {
        var types = Registered(new ServiceCollection().AddUploadHandling(Dev).AddScoring(Dev));

        Assert.Contains(typeof(ScanUploadedHandler), types);
        Assert.Contains(typeof(ScoreSubmissionHandler), types);
        Assert.Contains(typeof(ISubmissionScorer), types);
        Assert.Contains(typeof(IJobQueue), types);
        Assert.DoesNotContain(typeof(IScanSegmenter), types);
        Assert.DoesNotContain(typeof(JobReceiveLoop), types);
        Assert.DoesNotContain(typeof(SegmentScanHandler), types);
    }

    [Fact]
    public void TheWorkerShouldHaveTheModelAndTheJobLoopButNoUploadCheckAndNoScoring()
    {
        var types = Registered(new ServiceCollection().AddWorker(Dev));

        Assert.Contains(typeof(IScanSegmenter), types);
        Assert.Contains(typeof(SegmentScanHandler), types);
        Assert.Contains(typeof(JobDeliverySettler), types);
        Assert.Contains(typeof(JobReceiveLoop), types);
        Assert.DoesNotContain(typeof(ScanUploadedHandler), types);
        Assert.DoesNotContain(typeof(ScoreSubmissionHandler), types);
        Assert.DoesNotContain(typeof(ISubmissionScorer), types);
    }

    [Fact]
    public void AHostThatRunsEverythingShouldGetTheSharedPiecesOnce()
    {
        var services = new ServiceCollection().AddUploadHandling(Dev).AddWorker(Dev).AddScoring(Dev);

        Assert.Single(services, d => d.ServiceType == typeof(PipelineSettings));
        Assert.Single(services, d => d.ServiceType == typeof(IJobQueue));
        Assert.Single(services, d => d.ServiceType == typeof(IScanSegmenter));
        Assert.Single(services, d => d.ServiceType == typeof(ScoreSubmissionHandler));
    }

    [Fact]
    public void ScoringShouldReadItsSettingThroughTheSameBindingAndRefuseABadValue()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            [nameof(PipelineSettings.PublishPerCaseScores)] = "sometimes",
        }).Build();

        var ex = Assert.Throws<PipelineException>(() => new ServiceCollection().AddScoring(config));

        Assert.Equal(PipelineErrorReason.Configuration, ex.Reason);
        Assert.Contains("PublishPerCaseScores", ex.Message, StringComparison.Ordinal);
    }
}
