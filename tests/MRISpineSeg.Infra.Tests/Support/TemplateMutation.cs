using System.Text.Json.Nodes;

namespace MRISpineSeg.Infra.Tests.Support;

/// <summary>A deep copy of the compiled main template for tests that break one property and expect an audit to notice.</summary>
public static class TemplateMutation
{
    public static ArmTemplate Copy(CompiledInfra infra) => new((JsonObject)infra.Templates["main.bicep"].DeepClone());

    public static ArmResource First(ArmTemplate template, string type) => template.AllResources().First(r => r.Type == type);

    public static JsonObject Properties(ArmTemplate template, string type) => First(template, type).Properties!;

    /// <summary>The template of the module deployment <paramref name="name"/>, inside the copy.</summary>
    public static ArmTemplate Module(ArmTemplate template, string name) => template.ModuleTemplate(name);
}
