using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MRISpineSeg.EndToEnd.Tests.Support;

/// <summary>
/// A real Azurite (blob, queue, table) for tests. Uses <c>AZURITE_CONNECTION_STRING</c> when set (local/test.sh sets it
/// to the instance it started); otherwise starts its own in-memory Azurite on free loopback ports from
/// <c>local/node_modules</c> and stops it (by its process id) at the end. Fails with what to run when node or
/// Azurite is missing: these tests must run, never silently pass.
/// </summary>
public sealed class Azurite : IDisposable
{
    public const string EnvVar = "AZURITE_CONNECTION_STRING";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process? _process;
    private readonly System.Text.StringBuilder _log = new();

    public Azurite()
    {
        var given = Environment.GetEnvironmentVariable(EnvVar);
        if (!string.IsNullOrWhiteSpace(given))
        {
            ConnectionString = given;
            return;
        }

        var root = RepositoryRoot();
        var script = Path.Combine(root, "local", "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
            throw new InvalidOperationException($"Azurite is not installed ({script} is missing): run 'npm ci' in {Path.Combine(root, "local")} or use ./local/test.sh, or set {EnvVar}");
        var node = FindOnPath("node")
            ?? throw new InvalidOperationException($"node is not on PATH; Azurite needs Node.js 18+ (or set {EnvVar} to a running Azurite)");
        var (blob, queue, table) = (FreePort(), FreePort(), FreePort());
        var psi = new ProcessStartInfo(node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     script, "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--silent",
                     "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                     "--blobPort", blob.ToString(), "--queuePort", queue.ToString(), "--tablePort", table.ToString(),
                 })
        {
            psi.ArgumentList.Add(a);
        }

        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start node for Azurite");
        _process.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitForPorts([blob, queue, table], TimeSpan.FromSeconds(60));
        ConnectionString = ConnectionStringFor(blob, queue, table);
    }

    public string ConnectionString { get; }

    public static string ConnectionStringFor(int blob, int queue, int table)
        => $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
           $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";

    /// <summary>The port of the blob endpoint in an Azurite connection string.</summary>
    public static int BlobPort(string connectionString) => EndpointPort(connectionString, "BlobEndpoint");

    /// <summary>The port of an endpoint (<c>BlobEndpoint</c>, <c>QueueEndpoint</c>, <c>TableEndpoint</c>) in an Azurite connection string.</summary>
    public static int EndpointPort(string connectionString, string endpoint)
        => new Uri(Setting(connectionString, endpoint)).Port;

    /// <summary>The same connection string with the blob endpoint moved to another loopback port (queues and tables unchanged).</summary>
    public static string WithBlobPort(string connectionString, int port)
    {
        var blob = new UriBuilder(Setting(connectionString, "BlobEndpoint")) { Host = "127.0.0.1", Port = port }.Uri.ToString().TrimEnd('/');
        return string.Join(';', connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(kv => kv.StartsWith("BlobEndpoint=", StringComparison.Ordinal) ? "BlobEndpoint=" + blob : kv)) + ";";
    }

    private static string Setting(string connectionString, string key)
        => connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
               .Select(kv => kv.Split('=', 2))
               .FirstOrDefault(kv => kv[0] == key)?[1]
           ?? throw new InvalidOperationException($"the Azurite connection string has no {key}");

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MRISpineSeg.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException($"MRISpineSeg.sln not found above {AppContext.BaseDirectory}");
    }

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
    }

    private void WaitForPorts(int[] ports, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        foreach (var port in ports)
        {
            while (true)
            {
                if (_process!.HasExited) throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode} before listening on {port}: {Log()}");
                try
                {
                    using var c = new TcpClient();
                    c.Connect(IPAddress.Loopback, port);
                    break;
                }
                catch (SocketException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(100);
                }
                catch (SocketException)
                {
                    throw new InvalidOperationException($"Azurite did not listen on 127.0.0.1:{port} within {timeout}: {Log()}");
                }
            }
        }
    }

    private string Log()
    {
        lock (_log) return _log.ToString().Trim();
    }

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on right now (the OS picks it).</summary>
    internal static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static string? FindOnPath(string exe)
        => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, exe))
            .FirstOrDefault(File.Exists);
}
