using System.Text.Json.Nodes;

namespace MRISpineSeg.Infra.Tests.Support;

/// <summary>
/// The security properties the deployment promises, checked on the compiled ARM JSON of main.bicep (all modules
/// inlined). Each check returns human-readable violations; an empty list means the property holds.
/// </summary>
public static class SecurityAudit
{
    public static IReadOnlyList<string> All(ArmTemplate main) =>
    [
        .. Storage(main),
        .. ServiceBus(main),
        .. Registry(main),
        .. Telemetry(main),
        .. FunctionAppSettings(main),
        .. JobScaleRuleIdentity(main),
        .. JobHasNoSecrets(main),
        .. ListKeysOnlyInEventSubscriptions(main),
        .. GroundTruthAudit.Violations(main),
    ];

    public static IEnumerable<string> Storage(ArmTemplate main)
    {
        var accounts = Of(main, "Microsoft.Storage/storageAccounts").ToList();
        if (accounts.Count == 0)
        {
            yield return "no storage account found";
        }

        foreach (var account in accounts)
        {
            if (!IsFalse(account.At("properties.allowSharedKeyAccess")))
            {
                yield return $"{account}: allowSharedKeyAccess must be false";
            }

            if (!IsFalse(account.At("properties.allowBlobPublicAccess")))
            {
                yield return $"{account}: allowBlobPublicAccess must be false";
            }

            if (account.At("properties.minimumTlsVersion")?.ToString() != "TLS1_2")
            {
                yield return $"{account}: minimumTlsVersion must be TLS1_2";
            }

            if (IsFalse(account.At("properties.supportsHttpsTrafficOnly")))
            {
                yield return $"{account}: supportsHttpsTrafficOnly must not be false";
            }
        }

        foreach (var container in Of(main, "Microsoft.Storage/storageAccounts/blobServices/containers"))
        {
            var access = container.At("properties.publicAccess")?.ToString();
            if (access is not null and not "None")
            {
                yield return $"{container}: publicAccess must be None, got {access}";
            }
        }
    }

    public static IEnumerable<string> ServiceBus(ArmTemplate main)
    {
        foreach (var ns in Of(main, "Microsoft.ServiceBus/namespaces"))
        {
            if (!IsTrue(ns.At("properties.disableLocalAuth")))
            {
                yield return $"{ns}: disableLocalAuth must be true (no SAS keys)";
            }

            if (ns.At("properties.minimumTlsVersion")?.ToString() != "1.2")
            {
                yield return $"{ns}: minimumTlsVersion must be 1.2";
            }
        }
    }

    public static IEnumerable<string> Registry(ArmTemplate main)
    {
        foreach (var registry in Of(main, "Microsoft.ContainerRegistry/registries"))
        {
            if (!IsFalse(registry.At("properties.adminUserEnabled")))
            {
                yield return $"{registry}: adminUserEnabled must be false";
            }

            if (IsTrue(registry.At("properties.anonymousPullEnabled")))
            {
                yield return $"{registry}: anonymousPullEnabled must be false";
            }
        }
    }

    public static IEnumerable<string> Telemetry(ArmTemplate main)
    {
        foreach (var component in Of(main, "Microsoft.Insights/components"))
        {
            if (!IsTrue(component.At("properties.DisableLocalAuth")))
            {
                yield return $"{component}: DisableLocalAuth must be true (its connection string is then not a credential)";
            }
        }

        foreach (var environment in Of(main, "Microsoft.App/managedEnvironments"))
        {
            if (environment.At("properties.appLogsConfiguration.logAnalyticsConfiguration") is not null)
            {
                yield return $"{environment}: log-analytics destination stores the workspace key; use azure-monitor";
            }
        }
    }

    /// <summary>No app setting of any Function App carries a key, SAS, secret or key-based connection string.</summary>
    public static IEnumerable<string> FunctionAppSettings(ArmTemplate main)
    {
        var sites = OfWithTemplate(main, "Microsoft.Web/sites").Where(s => s.Resource.At("properties.serverFarmId") is not null).ToList();
        if (sites.Count == 0)
        {
            yield return "no Function App found";
        }

        foreach (var (site, template) in sites)
        {
            var settings = AppSettings.Read(site, template);
            if (settings is null)
            {
                yield return $"{site}: app settings are not a literal list or a loop over a literal variable; cannot audit";
                continue;
            }

            foreach (var (name, value) in settings)
            {
                if (SecretScan.Problem(name, value) is { } problem)
                {
                    yield return $"{site}: {problem}";
                }
            }
        }

        foreach (var config in Of(main, "Microsoft.Web/sites/config"))
        {
            foreach (var (name, value) in (config.Properties ?? []).Select(p => (p.Key, p.Value?.ToString() ?? "")))
            {
                if (SecretScan.Problem(name, value) is { } problem)
                {
                    yield return $"{config}: {problem}";
                }
            }
        }
    }

    /// <summary>Every scale rule of every Container Apps Job authenticates with a managed identity, not a secret.</summary>
    public static IEnumerable<string> JobScaleRuleIdentity(ArmTemplate main)
    {
        var jobs = Of(main, "Microsoft.App/jobs").ToList();
        if (jobs.Count == 0)
        {
            yield return "no Container Apps Job found";
        }

        foreach (var job in jobs)
        {
            var rules = job.At("properties.configuration.eventTriggerConfig.scale.rules") as JsonArray;
            if (rules is null || rules.Count == 0)
            {
                yield return $"{job}: an event-triggered job needs a scale rule";
                continue;
            }

            foreach (var rule in rules.OfType<JsonObject>())
            {
                var identity = rule["identity"]?.ToString();
                if (string.IsNullOrWhiteSpace(identity))
                {
                    yield return $"{job}: scale rule '{rule["name"]}' has no identity";
                }

                if (rule["auth"] is JsonArray { Count: > 0 })
                {
                    yield return $"{job}: scale rule '{rule["name"]}' authenticates with secrets (auth)";
                }
            }
        }
    }

    /// <summary>Jobs hold no secrets and pull images by identity; their environment variables carry no credentials.</summary>
    public static IEnumerable<string> JobHasNoSecrets(ArmTemplate main)
    {
        foreach (var job in Of(main, "Microsoft.App/jobs"))
        {
            if (job.At("properties.configuration.secrets") is JsonArray { Count: > 0 })
            {
                yield return $"{job}: configuration.secrets must be empty";
            }

            foreach (var registry in (job.At("properties.configuration.registries") as JsonArray ?? []).OfType<JsonObject>())
            {
                if (string.IsNullOrWhiteSpace(registry["identity"]?.ToString()) || registry["passwordSecretRef"] is not null)
                {
                    yield return $"{job}: registry {registry["server"]} must be pulled by identity";
                }
            }

            foreach (var container in (job.At("properties.template.containers") as JsonArray ?? []).OfType<JsonObject>())
            {
                foreach (var env in (container["env"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    var name = env["name"]?.ToString() ?? "";
                    if (env["secretRef"] is not null || SecretScan.Problem(name, env["value"]?.ToString() ?? "") is not null)
                    {
                        yield return $"{job}: env '{name}' carries a secret";
                    }
                }
            }
        }
    }

    /// <summary>
    /// listKeys may appear only in an Event Grid webhook endpoint (the blob extension's system key), never in a
    /// setting, parameter or output.
    /// </summary>
    public static IEnumerable<string> ListKeysOnlyInEventSubscriptions(ArmTemplate main)
    {
        foreach (var resource in main.AllResources())
        {
            var allowed = resource.Type == "Microsoft.EventGrid/systemTopics/eventSubscriptions";
            // A module deployment's own template is audited resource by resource; here only what it passes in counts.
            var audited = resource.Type == "Microsoft.Resources/deployments" ? resource.At("properties.parameters") : resource.Properties;
            if (!allowed && ContainsListCall(audited))
            {
                yield return $"{resource}: calls list*() outside an Event Grid subscription";
            }
        }

        foreach (var template in Templates(main))
        {
            if (ContainsListCall(template.Outputs))
            {
                yield return "an output calls list*(): secrets must never be outputs";
            }
        }
    }

    private static IEnumerable<ArmTemplate> Templates(ArmTemplate main)
    {
        yield return main;
        foreach (var deployment in main.AllResources().Where(r => r.Type == "Microsoft.Resources/deployments"))
        {
            if (deployment.At("properties.template") is JsonObject nested)
            {
                yield return new ArmTemplate(nested);
            }
        }
    }

    private static bool ContainsListCall(JsonNode? node) =>
        node is not null && System.Text.RegularExpressions.Regex.IsMatch(node.ToJsonString(), @"\blist[A-Za-z]*\(");

    private static IEnumerable<ArmResource> Of(ArmTemplate main, string type) => main.AllResources().Where(r => r.Type == type);

    private static IEnumerable<(ArmResource Resource, ArmTemplate Template)> OfWithTemplate(ArmTemplate main, string type)
    {
        foreach (var template in Templates(main))
        {
            foreach (var resource in template.OwnResources().Where(r => r.Type == type))
            {
                yield return (resource, template);
            }
        }
    }

    private static bool IsFalse(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && !b;

    private static bool IsTrue(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;
}
