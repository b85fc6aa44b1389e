Console.WriteLine("CustomerSegmentation demo");
