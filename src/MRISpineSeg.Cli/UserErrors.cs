using MRISpineSeg.Imaging;
using MRISpineSeg.Segmentation;

namespace MRISpineSeg.Cli;

/// <summary>
/// The exceptions that mean "the input was bad" rather than "the program is broken".
/// Each library has exactly one such type; add it here when a library joins the CLI.
/// </summary>
internal static class UserErrors
{
    public static bool IsUserError(Exception ex) => ex switch
    {
        VolumeFormatException => true,
        MRISpineSeg.Scoring.ScoringException => true,
        SegmentationException => true,
        MRISpineSeg.Pipeline.PipelineException => true,
        CliUsageException => true,
        FileNotFoundException => true,
        DirectoryNotFoundException => true,
        UnauthorizedAccessException => true,
        IOException => true,
        TimeoutException => true, // local wait: what it waited for did not come, named in the message
        _ => false,
    };
}
