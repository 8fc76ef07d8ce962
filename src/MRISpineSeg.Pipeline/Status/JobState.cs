namespace MRISpineSeg.Pipeline.Status;

/// <summary>A job's life: queued → running → succeeded | failed (running may return to queued when retried).</summary>
public enum JobState
{
    Queued,
    Running,
    Succeeded,
    Failed,
}
