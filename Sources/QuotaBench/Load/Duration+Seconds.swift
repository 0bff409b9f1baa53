extension Duration {
    /// The duration in seconds, as a `Double`.
    var inSeconds: Double {
        Double(self.components.seconds) + Double(self.components.attoseconds) / 1e18
    }
}
