using System.Security.Cryptography;
using System.Text;

namespace MRISpineSeg.Pipeline.Contracts;

/// <summary>Content-derived job ids: the same (blob, ETag) always gives the same id, on every host.</summary>
public static class JobIds
{
    /// <summary>SHA-256 of <c>blobName + "\n" + etag</c> as 64 lowercase hex characters (a valid Service Bus MessageId and table key).</summary>
    public static string For(string blobName, string etag)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        ArgumentException.ThrowIfNullOrEmpty(etag);
        var bytes = Encoding.UTF8.GetBytes(blobName + "\n" + etag);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>True for strings <see cref="For"/> could have produced.</summary>
    public static bool IsValid(string? id)
    {
        if (id is null || id.Length != 64) return false;
        foreach (var c in id)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) return false;
        }

        return true;
    }
}
