namespace MRISpineSeg.ServiceBusLoopback.Broker;

/// <summary>
/// A link address as the Service Bus client writes it: <c>queue</c>, <c>queue/$DeadLetterQueue</c>,
/// <c>queue/$management</c> or <c>queue/$DeadLetterQueue/$management</c>, possibly as a full
/// <c>amqp://host/queue</c> URI or with a leading slash.
/// </summary>
internal readonly record struct EntityAddress(string Queue, bool DeadLetter, bool Management)
{
    public const string DeadLetterSegment = "$DeadLetterQueue";
    public const string ManagementSegment = "$management";

    /// <summary>The entity path whose messages this address reaches (the queue or its dead-letter sub-queue).</summary>
    public string EntityPath => DeadLetter ? $"{Queue}/{DeadLetterSegment}" : Queue;

    public static bool TryParse(string? address, out EntityAddress parsed)
    {
        parsed = default;
        if (string.IsNullOrWhiteSpace(address)) return false;
        var path = address.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(address, UriKind.Absolute, out var uri)
            ? Uri.UnescapeDataString(uri.AbsolutePath)
            : address;
        var parts = path.Trim('/').Split('/');
        if (parts.Length is < 1 or > 3 || parts[0].Length == 0 || parts[0].StartsWith('$')) return false;
        var i = 1;
        var deadLetter = i < parts.Length && parts[i].Equals(DeadLetterSegment, StringComparison.OrdinalIgnoreCase);
        if (deadLetter) i++;
        var management = i < parts.Length && parts[i].Equals(ManagementSegment, StringComparison.OrdinalIgnoreCase);
        if (management) i++;
        if (i != parts.Length) return false;
        parsed = new EntityAddress(parts[0], deadLetter, management);
        return true;
    }
}
