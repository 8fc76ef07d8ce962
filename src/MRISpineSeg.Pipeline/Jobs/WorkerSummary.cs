namespace MRISpineSeg.Pipeline.Jobs;

/// <summary>Counts of how the worker settled its deliveries.</summary>
public sealed class WorkerSummary
{
    public int Completed { get; private set; }

    public int Abandoned { get; private set; }

    public int DeadLettered { get; private set; }

    public int LeaseLost { get; private set; }

    public int Total => Completed + Abandoned + DeadLettered + LeaseLost;

    public void Add(ProcessOutcome outcome)
    {
        switch (outcome)
        {
            case ProcessOutcome.Completed: Completed++; break;
            case ProcessOutcome.Abandoned: Abandoned++; break;
            case ProcessOutcome.DeadLettered: DeadLettered++; break;
            case ProcessOutcome.LeaseLost: LeaseLost++; break;
        }
    }

    public override string ToString() => $"{Completed} completed, {Abandoned} abandoned, {DeadLettered} dead-lettered, {LeaseLost} lease lost";
}
