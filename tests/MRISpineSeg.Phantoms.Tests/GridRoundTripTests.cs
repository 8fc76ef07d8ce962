using MRISpineSeg.Imaging.Resampling;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Scoring.Metrics;

namespace MRISpineSeg.Phantoms.Tests;

/// <summary>
/// What the trip to the model grid and back costs by itself, with no model: truth → order-0 zoom to the model grid →
/// order-0 zoom back onto the scan grid, scored against the original truth by the challenge rule (mean Dice over
/// structures 1–19 present in either). A model can never beat this bound.
/// <para>
/// At PaddleSeg's 512×512×12 grid the trip keeps Dice ≥ 0.95 for every phantom geometry. At the CPU-trained demo
/// model's 128×128×12 grid (2.4 mm pixels for a 300 mm field of view) the 5–10 mm discs lose a pixel row at each
/// endplate, and the bound measured here is 0.92–0.94; that is the ceiling the demo model is held against.
/// </para>
/// </summary>
public sealed class GridRoundTripTests
{
    public static TheoryData<int, int, int, double, double, double, int, double> Geometries => new()
    {
        { 512, 512, 12, 0.6, 0.6, 4.4, 512, 0.95 },
        { 880, 880, 12, 0.35, 0.35, 4.4, 512, 0.95 },
        { 1008, 1008, 15, 0.3, 0.3, 3.5, 512, 0.95 },
        { 384, 320, 12, 0.8, 0.9, 4.0, 512, 0.95 },
        { 512, 512, 12, 0.6, 0.6, 4.4, 128, 0.92 },
        { 880, 880, 12, 0.35, 0.35, 4.4, 128, 0.92 },
        { 1008, 1008, 15, 0.3, 0.3, 3.5, 128, 0.91 },
        { 384, 320, 12, 0.8, 0.9, 4.0, 128, 0.92 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void TruthThroughTheModelGridAndBackShouldKeepDice(int x, int y, int z, double sx, double sy, double sz, int grid, double bound)
    {
        var modelGrid = new Shape3(grid, grid, 12);
        var options = new PhantomOptions { Shape = new Shape3(x, y, z), Spacing = [sx, sy, sz], SliceSamples = 1 };
        var truth = PhantomGenerator.Generate(21, options).Mask;
        var small = Resampler.Zoom(truth, modelGrid, order: 0);
        var back = Resampler.NearestOnto(small, truth.Shape, truth.Geometry, truth.NiftiHeader);

        var dice = ConfusionMatrix.Count(truth.Voxels.As<byte>().Data, back.Voxels.As<byte>().Data).DiceAll();
        var defined = dice.Skip(1).Where(d => d.HasValue).Select(d => d!.Value).ToArray();
        var mean = defined.Average();
        Assert.True(mean >= bound, $"{x}x{y}x{z} via {modelGrid}: challenge mean Dice of the grid round trip is {mean:F4} (per class: {string.Join(", ", defined.Select(d => d.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))})");
    }
}
