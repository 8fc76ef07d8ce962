namespace MRISpineSeg.EndToEnd.Tests.Support;

/// <summary>Every test class in this collection shares one Azurite; tests isolate themselves by unique names.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<Azurite>
{
    public const string Name = "azurite";
}
