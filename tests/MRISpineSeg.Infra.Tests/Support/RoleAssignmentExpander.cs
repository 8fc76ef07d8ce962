using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MRISpineSeg.Infra.Tests.Support;

/// <summary>
/// Turns the Microsoft.Authorization/roleAssignments resources of a compiled template into concrete
/// <see cref="RoleAssignment"/>s. It understands exactly the shapes rbac.bicep compiles to: a copy loop over a
/// literal variable array (<c>variables('grants')[copyIndex()].field</c>), lookups in literal variable objects
/// (<c>variables('roles')['blobDataReader']</c>, <c>variables('roles').acrPull</c>) and <c>parameters('x')</c>.
/// Anything else stays unresolved (null), which the audits reject.
/// </summary>
public static partial class RoleAssignmentExpander
{
    public const string RoleAssignmentType = "Microsoft.Authorization/roleAssignments";

    public static IEnumerable<RoleAssignment> Expand(ArmTemplate template)
    {
        foreach (var module in ModulesWithTemplates(template, "main"))
        {
            foreach (var resource in module.Template.OwnResources(module.Path).Where(r => r.Type == RoleAssignmentType))
            {
                foreach (var assignment in ExpandOne(module.Template, resource))
                {
                    yield return assignment;
                }
            }
        }
    }

    private static IEnumerable<(ArmTemplate Template, string Path)> ModulesWithTemplates(ArmTemplate template, string path)
    {
        yield return (template, path);
        foreach (var deployment in template.OwnResources(path).Where(r => r.Type == "Microsoft.Resources/deployments"))
        {
            if (deployment.At("properties.template") is JsonObject nested)
            {
                foreach (var inner in ModulesWithTemplates(new ArmTemplate(nested), $"{path}/{deployment.Name}"))
                {
                    yield return inner;
                }
            }
        }
    }

    private static IEnumerable<RoleAssignment> ExpandOne(ArmTemplate template, ArmResource resource)
    {
        var principal = resource.At("properties.principalId")?.ToString() ?? "";
        var role = resource.At("properties.roleDefinitionId")?.ToString() ?? "";
        var scope = resource.Node["scope"]?.ToString();
        var count = resource.At("copy.count")?.ToString();
        if (count is null)
        {
            yield return Resolve(template, principal, role, scope, resource.ToString());
            yield break;
        }

        var loop = CopyCount().Match(count);
        if (!loop.Success || template.Variables[loop.Groups["var"].Value] is not JsonArray items)
        {
            yield return new RoleAssignment(null, null, "(unresolved loop)", null, resource.ToString());
            yield break;
        }

        var variable = loop.Groups["var"].Value;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i] as JsonObject ?? [];
            string Substitute(string expression) => LoopField(variable).Replace(expression, m =>
                item[m.Groups["field"].Value] is JsonValue v ? $"'{v}'" : m.Value);
            yield return Resolve(template, Substitute(principal), Substitute(role), scope is null ? null : Substitute(scope), $"{resource}[{i}]");
        }
    }

    private static RoleAssignment Resolve(ArmTemplate template, string principal, string role, string? scope, string origin)
    {
        var principalExpression = ResolveLookups(template, principal);
        var parameter = SingleParameter().Match(principalExpression);
        var roleExpression = ResolveLookups(template, role);
        var roleId = RoleGuid().Match(roleExpression);

        string scopeType;
        string? container = null;
        if (scope is null)
        {
            scopeType = RoleAssignment.ResourceGroupScope;
        }
        else
        {
            var resourceId = ScopeResourceId().Match(scope);
            scopeType = resourceId.Success ? resourceId.Groups["type"].Value : "(unresolved scope)";
            if (scopeType == RoleAssignment.ContainerType)
            {
                var literals = QuotedLiteral().Matches(scope);
                container = literals.Count >= 3 ? literals[^1].Groups["value"].Value : null;
                if (!scope.TrimEnd(']', ')').EndsWith('\'') || container is null)
                {
                    container = null;
                }
            }
        }

        return new RoleAssignment(
            parameter.Success ? parameter.Groups["name"].Value : null,
            roleId.Success ? roleId.Value : null,
            scopeType,
            container,
            origin);
    }

    // variables('x')['key'] and variables('x').key -> the literal value, when variables.x is an object of literals.
    private static string ResolveLookups(ArmTemplate template, string expression)
    {
        string Lookup(Match m)
        {
            var value = (template.Variables[m.Groups["var"].Value] as JsonObject)?[m.Groups["key"].Value];
            return value is JsonValue v && v.TryGetValue<string>(out var s)
                ? (s.StartsWith('[') && s.EndsWith(']') ? s[1..^1] : $"'{s}'")
                : m.Value;
        }

        return VariableLookup().Replace(expression, Lookup);
    }

    [GeneratedRegex(@"^\[length\(variables\('(?<var>[^']+)'\)\)\]$")]
    private static partial Regex CopyCount();

    private static Regex LoopField(string variable) =>
        new(@"variables\('" + Regex.Escape(variable) + @"'\)\[copyIndex\(\)\]\.(?<field>\w+)");

    [GeneratedRegex(@"variables\('(?<var>[^']+)'\)(?:\['(?<key>[^']+)'\]|\.(?<key>\w+))")]
    private static partial Regex VariableLookup();

    [GeneratedRegex(@"^\[?parameters\('(?<name>[^']+)'\)\]?$")]
    private static partial Regex SingleParameter();

    [GeneratedRegex(@"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex RoleGuid();

    [GeneratedRegex(@"resourceId\('(?<type>[^']+)'")]
    private static partial Regex ScopeResourceId();

    [GeneratedRegex(@"'(?<value>[^']*)'")]
    private static partial Regex QuotedLiteral();
}
