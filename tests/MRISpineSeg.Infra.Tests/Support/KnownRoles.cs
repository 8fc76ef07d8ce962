namespace MRISpineSeg.Infra.Tests.Support;

/// <summary>Built-in Azure role definition GUIDs the audits care about (the same in every tenant).</summary>
public static class KnownRoles
{
    public const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    public const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    public const string StorageBlobDataReader = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
    public const string ServiceBusDataSender = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39";
    public const string ServiceBusDataReceiver = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0";
    public const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

    // Control-plane roles that can read data too: Owner and Contributor (via listKeys, if shared keys were ever
    // re-enabled, or by granting themselves data roles), Storage Account Contributor.
    public const string Owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    public const string Contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c";
    public const string StorageAccountContributor = "17d1049b-9a84-46fb-8f53-869881c3d3ab";

    /// <summary>Roles whose holder can read blob contents in their scope.</summary>
    public static readonly IReadOnlySet<string> CanReadBlobs = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        StorageBlobDataOwner, StorageBlobDataContributor, StorageBlobDataReader, Owner, Contributor, StorageAccountContributor,
    };
}
