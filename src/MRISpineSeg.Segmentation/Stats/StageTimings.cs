using System.Diagnostics;

namespace MRISpineSeg.Segmentation.Stats;

/// <summary>
/// Wall-clock time per pipeline stage, in the order the stages ran. The stage names are <see cref="Read"/>,
/// <see cref="Preprocess"/>, <see cref="Infer"/>, <see cref="Postprocess"/> and <see cref="Write"/>.
/// </summary>
public sealed class StageTimings
{
    public const string Read = "read";
    public const string Preprocess = "preprocess";
    public const string Infer = "infer";
    public const string Postprocess = "postprocess";
    public const string Write = "write";

    private readonly List<KeyValuePair<string, TimeSpan>> _stages = [];

    public IReadOnlyList<KeyValuePair<string, TimeSpan>> Stages => _stages;

    /// <summary>Sum of all stages.</summary>
    public TimeSpan Total
    {
        get
        {
            var t = TimeSpan.Zero;
            foreach (var s in _stages) t += s.Value;
            return t;
        }
    }

    /// <summary>A copy with <paramref name="elapsed"/> added to <paramref name="stage"/> (appended when it did not run); this one is unchanged.</summary>
    public StageTimings With(string stage, TimeSpan elapsed)
    {
        var copy = new StageTimings();
        copy._stages.AddRange(_stages);
        copy.Add(stage, elapsed);
        return copy;
    }

    /// <summary>Adds (or adds to) a stage; only while the segmenter builds the result (a result's timings never change).</summary>
    internal void Add(string stage, TimeSpan elapsed)
    {
        for (var i = 0; i < _stages.Count; i++)
        {
            if (_stages[i].Key != stage) continue;
            _stages[i] = new(stage, _stages[i].Value + elapsed);
            return;
        }

        _stages.Add(new(stage, elapsed));
    }

    /// <summary>The time of <paramref name="stage"/>, or zero when it did not run.</summary>
    public TimeSpan this[string stage]
    {
        get
        {
            foreach (var s in _stages)
            {
                if (s.Key == stage) return s.Value;
            }

            return TimeSpan.Zero;
        }
    }

    /// <summary>Starts timing a stage; pass the result to <see cref="Stop"/>.</summary>
    public static long Start() => Stopwatch.GetTimestamp();

    /// <summary>The time since <paramref name="started"/> (from <see cref="Start"/>).</summary>
    public static TimeSpan Elapsed(long started) => Stopwatch.GetElapsedTime(started);

    /// <summary>Records the time since <paramref name="started"/> under <paramref name="stage"/> and returns it.</summary>
    internal TimeSpan Stop(string stage, long started)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        Add(stage, elapsed);
        return elapsed;
    }
}
