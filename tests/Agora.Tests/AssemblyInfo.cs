// The students seed TorchSharp's global generator, and two tests training at once would also share 2 cores:
// run the tests of this assembly one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
