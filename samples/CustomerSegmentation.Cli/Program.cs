using System.CommandLine;

var root = new RootCommand("custseg - customer segmentation from a purchases CSV");
return root.Parse(args).Invoke();
