using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MRISpineSeg.Infra.Tests.Support;

/// <summary>
/// Reads a site's app settings from compiled ARM: either a literal <c>siteConfig.appSettings</c> array, or the copy
/// loop functions.bicep compiles to (<c>items(variables('appSettings'))</c>). Values stay ARM expressions.
/// </summary>
public static partial class AppSettings
{
    public static IReadOnlyList<(string Name, string Value)>? Read(ArmResource site, ArmTemplate template)
    {
        var node = site.At("properties.siteConfig.appSettings");
        if (node is JsonArray literal)
        {
            return literal.OfType<JsonObject>()
                .Select(s => (s["name"]?.ToString() ?? "", s["value"]?.ToString() ?? ""))
                .ToList();
        }

        // Bicep moves a for-expression into siteConfig.copy[] = { name: 'appSettings', count, input }.
        var loop = (site.At("properties.siteConfig.copy") as JsonArray)?.OfType<JsonObject>()
            .SingleOrDefault(c => c["name"]?.ToString() == "appSettings");
        var count = loop?["count"]?.ToString() ?? "";
        var match = ItemsOfVariable().Match(count);
        if (!match.Success || template.Variables[match.Groups["var"].Value] is not JsonObject settings)
        {
            return null;
        }

        return settings.Select(p => (p.Key, p.Value?.ToString() ?? "")).ToList();
    }

    [GeneratedRegex(@"^\[length\(items\(variables\('(?<var>[^']+)'\)\)\)\]$")]
    private static partial Regex ItemsOfVariable();
}
