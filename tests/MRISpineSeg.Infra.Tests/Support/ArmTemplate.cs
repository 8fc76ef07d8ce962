using System.Text.Json.Nodes;

namespace MRISpineSeg.Infra.Tests.Support;

/// <summary>
/// Read access to a compiled ARM template: its resources, including those inside inlined module deployments
/// (Microsoft.Resources/deployments with properties.template), in both the classic array layout and the symbolic
/// (languageVersion 2.0) object layout.
/// </summary>
public sealed class ArmTemplate(JsonObject root)
{
    public JsonObject Root { get; } = root;

    public JsonObject Variables => Root["variables"] as JsonObject ?? [];

    public JsonObject Parameters => Root["parameters"] as JsonObject ?? [];

    public JsonObject Outputs => Root["outputs"] as JsonObject ?? [];

    /// <summary>Resources this template deploys (not those of its modules, nor <c>existing</c> references).</summary>
    public IEnumerable<ArmResource> OwnResources(string modulePath = "main") => ResourceNodes(Root)
        .Where(n => n["existing"] is not JsonValue existing || !existing.GetValue<bool>())
        .Select(n => new ArmResource(n["type"]?.GetValue<string>() ?? "", n, modulePath));

    /// <summary>Every resource here and in every nested module, depth first.</summary>
    public IEnumerable<ArmResource> AllResources(string modulePath = "main")
    {
        foreach (var resource in OwnResources(modulePath))
        {
            yield return resource;
            if (resource.Type == "Microsoft.Resources/deployments" && resource.At("properties.template") is JsonObject nested)
            {
                var name = resource.Name ?? "?";
                foreach (var inner in new ArmTemplate(nested).AllResources($"{modulePath}/{name}"))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>The template of the module deployment named <paramref name="deploymentName"/> in this template.</summary>
    public ArmTemplate ModuleTemplate(string deploymentName)
    {
        var deployment = OwnResources().SingleOrDefault(r => r.Type == "Microsoft.Resources/deployments" && r.Name == deploymentName)
            ?? throw new InvalidOperationException($"No module deployment '{deploymentName}'.");
        return new ArmTemplate((JsonObject)deployment.At("properties.template")!);
    }

    /// <summary>The parameters a module deployment passes, by name (their <c>value</c> nodes).</summary>
    public IReadOnlyDictionary<string, JsonNode?> ModuleParameters(string deploymentName)
    {
        var deployment = OwnResources().Single(r => r.Type == "Microsoft.Resources/deployments" && r.Name == deploymentName);
        var parameters = deployment.At("properties.parameters") as JsonObject ?? [];
        return parameters.ToDictionary(p => p.Key, p => (p.Value as JsonObject)?["value"]);
    }

    private static IEnumerable<JsonObject> ResourceNodes(JsonObject template) => template["resources"] switch
    {
        JsonArray array => array.OfType<JsonObject>(),
        JsonObject symbolic => symbolic.Select(p => p.Value).OfType<JsonObject>(),
        _ => [],
    };
}
