using System.Text.Json.Nodes;
using MRISpineSeg.Infra.Tests.Support;

namespace MRISpineSeg.Infra.Tests.App;

/// <summary>The pipeline's resources are configured the way docs/design.md §6 and the handlers expect.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class PipelineResourceTests(CompiledInfra infra)
{
    private ArmResource Single(string type) => infra.Main.AllResources().Single(r => r.Type == type);

    [Fact]
    public void StorageShouldHoldEveryContainerOfThePipeline()
    {
        var containers = infra.Main.Variables["userContainers"]!.AsArray().Select(c => c!.ToString()).ToList();

        Assert.Empty(new[] { "scans", "masks", "previews", "submissions", "scores", "leaderboard", "ground-truth", "scores-private", "models" }.Except(containers));
    }

    [Fact]
    public void LifecycleRuleShouldDeleteOldScansAfterTheParameterisedAge()
    {
        var policy = Single("Microsoft.Storage/storageAccounts/managementPolicies");
        var rule = policy.At("properties.policy.rules")!.AsArray()[0]!;

        Assert.Equal("[greater(parameters('deleteScansAfterDays'), 0)]", policy.Node["condition"]!.ToString());
        Assert.Contains("scans/", rule["definition"]!["filters"]!["prefixMatch"]!.AsArray().Select(p => p!.ToString()));
        Assert.Equal("[parameters('deleteScansAfterDays')]",
            rule["definition"]!["actions"]!["baseBlob"]!["delete"]!["daysAfterModificationGreaterThan"]!.ToString());
    }

    [Fact]
    public void JobQueueShouldDeadLetterExpiredMessagesAndDropDuplicates()
    {
        var queue = Single("Microsoft.ServiceBus/namespaces/queues");
        var properties = queue.Properties!;

        Assert.Equal("segmentation-jobs", infra.Main.Variables["queueName"]!.ToString());
        Assert.True(properties["deadLetteringOnMessageExpiration"]!.GetValue<bool>());
        Assert.True(properties["requiresDuplicateDetection"]!.GetValue<bool>());
        Assert.Equal("[parameters('duplicateDetectionWindow')]", properties["duplicateDetectionHistoryTimeWindow"]!.ToString());
        Assert.Equal("[parameters('lockDuration')]", properties["lockDuration"]!.ToString());
        // One delivery more than the worker's own limit, so the worker writes the error report (WorkerContract).
        Assert.Equal("[add(parameters('workerMaxDeliveryCount'), 1)]", properties["maxDeliveryCount"]!.ToString());
    }

    [Fact]
    public void FunctionAppShouldRunDotnetIsolatedOnFlexConsumptionWithItsUserAssignedIdentity()
    {
        var functions = infra.Main.ModuleTemplate("functions");
        var plan = functions.OwnResources().Single(r => r.Type == "Microsoft.Web/serverfarms");
        var site = functions.OwnResources().Single(r => r.Type == "Microsoft.Web/sites");

        Assert.Equal("FC1", plan.At("sku.name")!.ToString());
        Assert.Equal("FlexConsumption", plan.At("sku.tier")!.ToString());
        Assert.Equal("dotnet-isolated", site.At("properties.functionAppConfig.runtime.name")!.ToString());
        Assert.Equal("10.0", functions.Parameters["runtimeVersion"]!["defaultValue"]!.ToString());
        Assert.Equal("UserAssigned", site.At("identity.type")!.ToString());
        Assert.Equal("UserAssignedIdentity", site.At("properties.functionAppConfig.deployment.storage.authentication.type")!.ToString());
        Assert.True(site.At("properties.httpsOnly")!.GetValue<bool>());
    }

    [Fact]
    public void EventGridShouldFeedBothBlobTriggersThroughTheBlobExtensionWebhook()
    {
        var module = infra.Main.ModuleTemplate("blob-subscriptions");
        var triggers = module.Variables["triggers"]!.AsArray()
            .Select(t => (Container: t!["container"]!.ToString(), Function: t["functionName"]!.ToString()))
            .ToList();
        var subscription = module.OwnResources().Single(r => r.Type == "Microsoft.EventGrid/systemTopics/eventSubscriptions");
        var url = subscription.At("properties.destination.properties.endpointUrl")!.ToString();

        Assert.Equal([("scans", "ScanUploaded"), ("submissions", "SubmissionUploaded")], triggers);
        Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.{1}&code={2}", url, StringComparison.Ordinal);
        Assert.Contains("'{0}/host/default'", url, StringComparison.Ordinal);
        Assert.Contains(".systemKeys.blobs_extension", url, StringComparison.Ordinal);
        Assert.Equal("Microsoft.Storage.BlobCreated", subscription.At("properties.filter.includedEventTypes")!.AsArray().Single()!.ToString());
        Assert.Contains("/blobServices/default/containers/{0}/blobs/", subscription.At("properties.filter.subjectBeginsWith")!.ToString(), StringComparison.Ordinal);
        Assert.NotNull(subscription.At("properties.deadLetterWithResourceIdentity.deadLetterDestination"));
    }

    [Fact]
    public void SystemTopicShouldWatchTheStorageAccount()
    {
        var topic = infra.Main.ModuleTemplate("eventgrid").OwnResources().Single(r => r.Type == "Microsoft.EventGrid/systemTopics");

        Assert.Equal("Microsoft.Storage.StorageAccounts", topic.At("properties.topicType")!.ToString());
    }

    [Fact]
    public void WorkerJobShouldBeStartedByKedaFromTheQueueWithItsLimitsAsParameters()
    {
        var job = Single("Microsoft.App/jobs");
        var trigger = (JsonObject)job.At("properties.configuration.eventTriggerConfig")!;
        var rule = trigger["scale"]!["rules"]!.AsArray().Single()!;

        Assert.Equal("Event", job.At("properties.configuration.triggerType")!.ToString());
        Assert.Equal("azure-servicebus", rule["type"]!.ToString());
        Assert.Equal("[parameters('queueName')]", rule["metadata"]!["queueName"]!.ToString());
        Assert.Equal("[parameters('serviceBusNamespaceName')]", rule["metadata"]!["namespace"]!.ToString());
        Assert.Equal("[parameters('scalerIdentityId')]", rule["identity"]!.ToString());
        Assert.Equal("[parameters('parallelism')]", trigger["parallelism"]!.ToString());
        Assert.Equal("[parameters('maxExecutions')]", trigger["scale"]!["maxExecutions"]!.ToString());
        Assert.Equal("[parameters('replicaTimeoutSeconds')]", job.At("properties.configuration.replicaTimeout")!.ToString());
        Assert.Equal("[parameters('workerIdentityId')]", job.At("properties.configuration.registries")!.AsArray().Single()!["identity"]!.ToString());
    }

    [Fact]
    public void EnvironmentShouldOfferTheServerlessGpuProfilesAndACpuOnlyChoice()
    {
        var module = infra.Main.ModuleTemplate("container-apps");
        var profiles = module.Variables["profiles"]!.AsObject();
        var allowed = infra.Main.Parameters["workerGpu"]!["allowedValues"]!.AsArray().Select(v => v!.ToString());

        Assert.Equal("Consumption-GPU-NC8as-T4", profiles["T4"]!["type"]!.ToString());
        Assert.Equal("Consumption-GPU-NC24-A100", profiles["A100"]!["type"]!.ToString());
        Assert.Equal("Consumption", profiles["None"]!["type"]!.ToString());
        Assert.Equal(["T4", "A100", "None"], allowed);
    }

    [Fact]
    public void MainShouldOutputWhatTheDeployScriptsAndGuideUse()
    {
        var expected = new[]
        {
            "AZURE_RESOURCE_GROUP", "AZURE_STORAGE_ACCOUNT_NAME", "AZURE_SERVICEBUS_NAMESPACE", "AZURE_SERVICEBUS_QUEUE",
            "AZURE_CONTAINER_REGISTRY_NAME", "AZURE_CONTAINER_REGISTRY_ENDPOINT", "AZURE_WORKER_JOB_NAME", "AZURE_WORKER_GPU",
            "AZURE_FUNCTION_APP_NAME", "AZURE_FUNCTION_APP_URL", "AZURE_EVENTGRID_SYSTEM_TOPIC", "CONTAINER_GROUND_TRUTH",
        };

        Assert.Empty(expected.Except(infra.Main.Outputs.Select(o => o.Key)));
    }
}
