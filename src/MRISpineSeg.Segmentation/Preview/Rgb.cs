namespace MRISpineSeg.Segmentation.Preview;

/// <summary>An 8-bit sRGB colour.</summary>
public readonly record struct Rgb(byte R, byte G, byte B);
