using System.Text.Json.Nodes;

namespace MRISpineSeg.Infra.Tests.Support;

/// <summary>One resource of a compiled ARM template, with the chain of module deployments it sits in.</summary>
public sealed record ArmResource(string Type, JsonObject Node, string ModulePath)
{
    public JsonObject? Properties => Node["properties"] as JsonObject;

    public string? Name => Node["name"]?.GetValue<string>();

    /// <summary>The value at a dotted path under the resource (e.g. <c>properties.siteConfig</c>), or null.</summary>
    public JsonNode? At(string dottedPath)
    {
        JsonNode? current = Node;
        foreach (var part in dottedPath.Split('.'))
        {
            current = (current as JsonObject)?[part];
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    public override string ToString() => $"{Type} '{Name}' in {ModulePath}";
}
