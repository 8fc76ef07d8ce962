using System.Globalization;
using System.Net;
using System.Text;

namespace MRISpineSeg.Scoring.Reports;

/// <summary>
/// An inline SVG bar chart of per-class Dice: the bar is the mean over cases, the shaded band ±1 std, the whisker
/// min..max. Classes with no defined Dice are drawn as an "n/a" tick. The y axis is fixed to 0..1.
/// </summary>
internal static class BarChartSvg
{
    private const int Width = 880, Height = 300, Left = 40, Right = 10, Top = 12, Bottom = 70;

    public static string Render(IReadOnlyList<Aggregate> perClass, int firstLabel)
    {
        var n = perClass.Count - firstLabel;
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        var slot = (double)plotW / n;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"Mean Dice per structure with spread across cases\">");
        for (var t = 0; t <= 10; t += 2)
        {
            var y = Y(t / 10.0, plotH);
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" class=\"grid\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" class=\"tick\">{t / 10.0:0.0}</text>");
        }

        for (var i = 0; i < n; i++)
        {
            var label = firstLabel + i;
            var a = perClass[label];
            var cx = Left + (slot * (i + 0.5));
            var bw = slot * 0.6;
            var name = WebUtility.HtmlEncode(SpineLabels.Name(label));
            if (a.Mean is { } mean)
            {
                var tip = string.Create(CultureInfo.InvariantCulture, $"{name} ({label}): mean {mean:0.0000}, std {a.Std:0.0000}, min {a.Min:0.0000}, max {a.Max:0.0000}, n {a.N}");
                sb.Append(CultureInfo.InvariantCulture, $"<g><title>{tip}</title>");
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{cx - (bw / 2):0.#}\" y=\"{Y(mean, plotH):0.#}\" width=\"{bw:0.#}\" height=\"{Y(0, plotH) - Y(mean, plotH):0.#}\" class=\"{(label <= 10 ? "vert" : "disc")}\"/>");
                var lo = Math.Max(0, mean - a.Std!.Value);
                var hi = Math.Min(1, mean + a.Std.Value);
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{cx - (bw / 4):0.#}\" y=\"{Y(hi, plotH):0.#}\" width=\"{bw / 2:0.#}\" height=\"{Y(lo, plotH) - Y(hi, plotH):0.#}\" class=\"std\"/>");
                sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{cx:0.#}\" x2=\"{cx:0.#}\" y1=\"{Y(a.Min!.Value, plotH):0.#}\" y2=\"{Y(a.Max!.Value, plotH):0.#}\" class=\"whisker\"/>");
                sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{cx - (bw / 4):0.#}\" x2=\"{cx + (bw / 4):0.#}\" y1=\"{Y(a.Min.Value, plotH):0.#}\" y2=\"{Y(a.Min.Value, plotH):0.#}\" class=\"whisker\"/>");
                sb.Append("</g>");
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{cx:0.#}\" y=\"{Y(0, plotH) - 4:0.#}\" text-anchor=\"middle\" class=\"tick\">n/a</text>");
            }

            var ly = Height - Bottom + 14;
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{cx:0.#}\" y=\"{ly}\" transform=\"rotate(-45 {cx:0.#} {ly})\" text-anchor=\"end\" class=\"tick\">{name}</text>");
        }

        sb.Append("</svg>");
        return sb.ToString();
    }

    private static double Y(double value, int plotH) => Top + (plotH * (1 - value));
}
