using System.Reflection;
using Azure;
using Azure.Messaging.ServiceBus;

namespace MRISpineSeg.Pipeline.Handlers;

/// <summary>
/// Decides retry versus dead-letter for any exception a handler lets out. Every library of this product has one
/// exception type with a bool <c>IsTransient</c> (VolumeFormatException, the segmentation and scoring exceptions,
/// <see cref="PipelineException"/>); that property is read directly, so a new library needs no change here.
/// Unknown exceptions count as transient: the delivery-count limit still dead-letters them in the end.
/// </summary>
public static class FailureClassifier
{
    public static bool IsTransient(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex switch
        {
            PipelineException p => p.IsTransient,
            RequestFailedException r => Queues.StorageErrors.IsTransientStatus(r.Status),
            ServiceBusException s => s.IsTransient,
            OperationCanceledException or TimeoutException or IOException or HttpRequestException => true,
            OutOfMemoryException => true,
            _ => ReadIsTransient(ex) ?? true,
        };
    }

    /// <summary>A short reason code for dead letters and error blobs: the library's Reason enum value, else the type name.</summary>
    public static string ReasonCode(Exception ex)
    {
        var reason = ex.GetType().GetProperty("Reason", BindingFlags.Public | BindingFlags.Instance);
        var value = reason?.PropertyType.IsEnum == true ? reason.GetValue(ex)?.ToString() : null;
        return value ?? ex.GetType().Name;
    }

    private static bool? ReadIsTransient(Exception ex)
    {
        var p = ex.GetType().GetProperty("IsTransient", BindingFlags.Public | BindingFlags.Instance);
        return p?.PropertyType == typeof(bool) ? (bool?)p.GetValue(ex) : null;
    }
}
