using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Phantoms;

namespace MRISpineSeg.EndToEnd.Tests.Support;

/// <summary>Phantom scans with exact truth, at 64×64×12 (4.8×4.8×4.4 mm) so the real model runs in well under a second.</summary>
public static class SmallPhantoms
{
    public static readonly PhantomOptions Options = new() { Shape = new Shape3(64, 64, 12), Spacing = [4.8, 4.8, 4.4] };

    public static PhantomGenerator.Phantom Generate(int seed) => PhantomGenerator.Generate(seed, Options);
}
