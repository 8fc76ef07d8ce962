using MRISpineSeg.Pipeline.Storage;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using MRISpineSeg.Pipeline.Contracts;

namespace MRISpineSeg.Cli.Local;

/// <summary>
/// Which blob versions the local host has already handed to a handler, in table <c>receipts</c>:
/// PartitionKey = container, RowKey = SHA-256 of the blob name (names may hold characters keys may not), with the
/// name and ETag as properties. A receipt is written only after the handler returned, so a crash in between
/// re-runs an (idempotent) handler rather than missing the upload.
/// </summary>
public sealed class UploadReceipts(TableServiceClient tables)
{
    private readonly TableClient _table = tables.GetTableClient(TableNames.Receipts);

    /// <summary>Blob name → ETag of every receipt for <paramref name="container"/>.</summary>
    public async Task<Dictionary<string, string>> LoadAsync(string container, CancellationToken cancellationToken = default)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {container}");
            await foreach (var e in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (e.GetString("Name") is { } name && e.GetString("ETag") is { } etag) map[name] = etag;
            }
        }
        catch (Exception ex) when (StorageErrors.IsStorageFailure(ex))
        {
            throw StorageErrors.Wrap(ex, "read upload receipts");
        }

        return map;
    }

    public async Task RecordAsync(string container, string blobName, string etag, string outcome, CancellationToken cancellationToken = default)
    {
        var e = new TableEntity(container, Key(blobName))
        {
            ["Name"] = blobName,
            ["ETag"] = etag,
            ["Outcome"] = outcome,
            ["At"] = DateTimeOffset.UtcNow,
        };
        try
        {
            await _table.UpsertEntityAsync(e, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageErrors.IsStorageFailure(ex))
        {
            throw StorageErrors.Wrap(ex, $"record a receipt for {container}/{blobName}");
        }
    }

    private static string Key(string blobName) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(blobName)));
}
